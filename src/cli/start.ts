import type { Command } from 'commander';
import type { CliIo } from './io.js';

/** `tessera start`: what `npm start` runs. Until the control plane lands it prints the demo fleet's summary. */
export function register(program: Command, io: CliIo): void {
  program
    .command('start')
    .description('Start Tessera with the built-in demo fleet (npm start)')
    .action(() => {
      io.stdout('Tessera 0.1.0\n');
    });
}
