// Public API of src/hardware (filled as the room grows).
export {};
