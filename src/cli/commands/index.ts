/** The registry of `hcm` commands, in the order `hcm --help` lists them. */
import type { Command } from '../command';
import { callCommand } from './call';
import { demoCommand } from './demo';
import { doctorCommand } from './doctor';
import { exportCommand } from './export';
import { importCommand } from './import';
import { listCommand } from './list';
import { relayCommand } from './relay';
import { removeCommand } from './remove';
import { setupCommand } from './setup';
import { sqlserverCommand } from './sqlserver';
import { startCommand } from './start';
import { statusCommand } from './status';
import { supportBundleCommand } from './support-bundle';
import { tokenCommand } from './token';

export const COMMANDS: Command[] = [demoCommand, setupCommand, listCommand, removeCommand, exportCommand, importCommand, statusCommand, startCommand, callCommand, doctorCommand, supportBundleCommand, tokenCommand, relayCommand, sqlserverCommand];
