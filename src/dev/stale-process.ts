// Pid files for the processes `npm run dev` starts, so a run after a crash can clear what the crashed one left.
import { readFile, rm, writeFile } from 'node:fs/promises';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function commandOf(pid: number): Promise<string> {
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/** Stops a process a crashed run left behind, but only if it still is the process we started (pids get reused). */
export async function stopStaleProcess(pidFile: string, expectedCommand: string): Promise<boolean> {
  let pid: number;
  try {
    pid = Number.parseInt(await readFile(pidFile, 'utf8'), 10);
  } catch {
    return false;
  }
  await rm(pidFile, { force: true });
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid) || !(await commandOf(pid)).includes(expectedCommand)) return false;
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    process.kill(pid, 'SIGTERM');
  }
  for (let waited = 0; waited < 5_000 && alive(pid); waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
  if (alive(pid)) process.kill(pid, 'SIGKILL');
  return true;
}

export async function writePidFile(pidFile: string, pid: number): Promise<void> {
  await writeFile(pidFile, String(pid));
}

export async function removePidFile(pidFile: string): Promise<void> {
  await rm(pidFile, { force: true });
}
