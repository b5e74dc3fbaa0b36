// Public API of src/activations (filled as the room grows).
export {};
