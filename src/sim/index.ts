// Public API of src/sim (filled as the room grows).
export {};
