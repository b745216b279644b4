/** The registry of `hcm` commands, in the order `hcm --help` lists them. */
import type { Command } from '../command';
import { relayCommand } from './relay';
import { tokenCommand } from './token';

export const COMMANDS: Command[] = [tokenCommand, relayCommand];
