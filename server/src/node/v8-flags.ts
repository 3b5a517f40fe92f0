/**
 * The V8 flags that keep every grammar on Liftoff, V8's baseline WebAssembly
 * compiler: no optimising tier at all. Why (README "Node versions"; figures
 * in docs/runtimes.md):
 * - On Node 24 (V8 13.6) the optimising compiler runs out of zone memory
 *   ("Fatal process out of memory: Zone", 2.7 GB, the process dies) on the
 *   lexer of the Swift grammar, one 400 KB wasm function. Any build of that
 *   grammar has it, and no narrower flag (inlining, loop unrolling, …) avoids it.
 * - `--liftoff-only` alone is not enough when set at run time: V8 derives
 *   `--no-wasm-tier-up` and `--no-wasm-dynamic-tiering` from it only while it
 *   parses the command line. Node 20 and 22 honour the flag anyway; Node 24
 *   does not and tiers up. Hence all three, each spelled out.
 * - Baseline code parses a scan's worth of files faster than tiering up does
 *   (the optimising compiler's CPU is paid in the background for seconds);
 *   long-lived parsing is about 1.5× slower than optimised code.
 *
 * Set once, before the first wasm module is compiled (flags are read when a
 * module is compiled). V8 rejects a code cache made under other flags, so the
 * launchers (launch.ts) set them first thing, before the bundle is compiled
 * with its code cache: every run then compiles under the same flags.
 */
export const WASM_V8_FLAGS: readonly string[] = ['--liftoff-only', '--no-wasm-tier-up', '--no-wasm-dynamic-tiering'];

/**
 * Two flags that trade a little CPU for a lower peak, both read at run time
 * (`--max-semi-space-size` and the like are read only when the heap is set
 * up, before any of our code runs):
 * - `--semi-space-growth-factor=1`: the young generation stays at its first
 *   size instead of doubling up to 16 MB per semi-space while a scan
 *   allocates; survivors are promoted sooner.
 * - `--heap-growing-percent=20`: after a full collection the old generation
 *   may grow by 20% before the next one, not by V8's default factor (up to
 *   4×), so the garbage of the parses does not pile up.
 * Benchmark monorepo scan, 3 runs of each side by side (Node 20, CPU =
 * user + system): neither 206 MB, 4.0 s; the first 181 MB, 4.2 s; the
 * second 200 MB, 4.2 s; both 158 MB, 4.3 s. (A 10% growth gave 147 MB for
 * 12% more CPU.)
 */
export const MEMORY_V8_FLAGS: readonly string[] = ['--semi-space-growth-factor=1', '--heap-growing-percent=20'];
