import { Command, CommanderError } from 'commander';
import { formatIssue, isTesseraError, ValidationError } from '../lib/errors.js';
import { processIo, type CliIo } from './io.js';

/** A noun's commands register themselves on the program; one file per noun. */
export type CommandRegistrar = (program: Command, io: CliIo) => void;

const registrars: CommandRegistrar[] = [];

export function buildProgram(io: CliIo): Command {
  const program = new Command('tessera')
    .description('Tessera: one control plane over mixed AI accelerators')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
    .showHelpAfterError('(run with --help for usage)');
  for (const register of registrars) register(program, io);
  return program;
}

/** Runs the CLI; returns the exit code. Errors become one clear sentence on stderr. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  await loadRegistrars();
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' && process.exitCode !== 0 ? process.exitCode : 0;
  } catch (e) {
    return reportError(e, io);
  }
}

export function reportError(e: unknown, io: CliIo): number {
  if (e instanceof CommanderError) {
    // Commander already printed its message; help and version exit 0.
    return e.exitCode === 0 ? 0 : 2;
  }
  if (e instanceof ValidationError) {
    io.stderr(`error: ${e.issues.length === 1 ? e.message : `${e.issues.length} problems found:`}\n`);
    if (e.issues.length > 1) for (const issue of e.issues) io.stderr(`  ${formatIssue(issue)}\n`);
    return 1;
  }
  if (isTesseraError(e)) {
    io.stderr(`error: ${e.message}\n`);
    return 1;
  }
  const message = e instanceof Error ? e.message : String(e);
  io.stderr(`internal error: ${message}\n`);
  if (io.env.TESSERA_DEBUG && e instanceof Error && e.stack) io.stderr(`${e.stack}\n`);
  return 70;
}

let loaded = false;
/** Registrars are imported lazily so that `tessera --help` stays fast as commands grow. */
async function loadRegistrars(): Promise<void> {
  if (loaded) return;
  loaded = true;
  const modules = await Promise.all([
    import('./serve.js'),
    import('./jobs.js'),
    import('./nodes.js'),
    import('./tenants.js'),
    import('./tokens.js'),
    import('./agent.js'),
    import('./agent-run.js'),
    import('./fleet.js'),
    import('./catalog.js'),
    import('./gateway.js'),
    import('./emulate.js'),
    import('./plan.js'),
    import('./sim-fgd.js'),
    import('./sim.js'),
    import('./sim-routing.js'),
    import('./perf.js'),
  ]);
  for (const m of modules) registrars.push(m.register);
}

export async function main(argv: string[]): Promise<number> {
  return runCli(argv, processIo());
}
