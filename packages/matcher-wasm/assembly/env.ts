// Functions the host (packages/core/src/wasm/module.ts) provides. A
// declared function's import module is its file's name: "env", beside the
// imported memory.

/**
 * JS takes the `count` events at `evBase` (they belong to the commands
 * applied so far in this call, the last one unfinished). Returns non-zero to
 * ask a batch to stop after the command in progress (its consumer failed).
 */
export declare function evSpill(count: u32): i32;
