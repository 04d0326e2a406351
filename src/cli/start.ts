import type { Command } from 'commander';
import { builtinCatalog } from '../catalog/index.js';
import { summarizeFleet } from '../fleet/index.js';
import { renderSummary } from './fleet.js';
import { resolveFleet } from './fleet-source.js';
import type { CliIo } from './io.js';

/**
 * `tessera start` (what `npm start` runs): until the control plane lands it prints the demo
 * fleet's summary and says so plainly; it will become `tessera serve --demo`.
 */
export function register(program: Command, io: CliIo): void {
  program
    .command('start')
    .description('Start Tessera with the built-in demo fleet (npm start); for now prints the demo fleet summary')
    .action(() => {
      const catalog = builtinCatalog();
      const resolved = resolveFleet('demo', io, catalog);
      io.stdout('Tessera 0.1.0\n\n');
      io.stdout(renderSummary(summarizeFleet(resolved.fleet, catalog), resolved));
      io.stdout(
        [
          '',
          'The control plane (scheduler service, API, console) is not there yet: `tessera start` shows the demo fleet',
          'and exits. Try `tessera fleet summary unicom-2025`, `tessera fleet list`, `tessera fleet validate <file>`.',
          '',
        ].join('\n'),
      );
    });
}
