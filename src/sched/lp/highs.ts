/**
 * Typed access to HiGHS (the `highs` package, HiGHS compiled to WebAssembly). The package is CommonJS
 * with a default-export declaration, which NodeNext resolution types as a non-callable namespace; this
 * shim gives the loader its real type once, so the rest of the code never casts.
 *
 * Loading is asynchronous (the Wasm module is instantiated once); solving is synchronous afterwards,
 * which is what a pure, synchronous scheduling round needs: load once at start-up, pass the solver in.
 */
import highsModule from 'highs';
import type { Highs as HighsRuntime, InitOptions, LegacyHighsOptions, LegacyHighsSolution } from 'highs';

type HighsLoader = (options?: InitOptions) => Promise<HighsRuntime>;

/** The solved-or-not result of one LP, as HiGHS reports it. */
export type LpSolution = LegacyHighsSolution;
export type LpOptions = LegacyHighsOptions;

/** What an LP policy needs from HiGHS: parse CPLEX LP text and solve it. */
export interface LpSolver {
  solve(lpText: string, options?: LpOptions): LpSolution;
  readonly version: string;
}

let loading: Promise<LpSolver> | undefined;

/** Loads the HiGHS runtime once per process and returns a synchronous solver. */
export function loadHighs(): Promise<LpSolver> {
  if (!loading) {
    const loader = highsModule as unknown as HighsLoader;
    loading = loader().then((h) => ({
      solve: (text, options) => h.solve(text, options),
      version: `${h.version.major}.${h.version.minor}.${h.version.patch}`,
    }));
  }
  return loading;
}
