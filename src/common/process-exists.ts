/**
 * Whether a process id belongs to a running process: the owner of a lock file or a temporary
 * folder that may have been left by a killed process. Signal 0 only checks; EPERM means the
 * process exists but belongs to another user.
 */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
