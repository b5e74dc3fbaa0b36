// fast-check arbitraries for users' own property tests (helu-sim/testing).
export {};
