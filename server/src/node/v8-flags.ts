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
 * The young generation stays at its first size instead of doubling up to
 * 16 MB per semi-space while a scan allocates: objects that survive are
 * promoted sooner, and the process's peak is lower. On the benchmark's
 * monorepo: peak RSS 216 → 183 MB with the same CPU (within a few percent,
 * 4 runs each side by side on Node 20). `--max-semi-space-size` would do the
 * same but is read only when the heap is set up, before any of our code
 * runs; this flag is read whenever the young generation would grow.
 */
export const MEMORY_V8_FLAGS: readonly string[] = ['--semi-space-growth-factor=1'];
