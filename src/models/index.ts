// Public API of src/models (filled as the room grows).
export {};
