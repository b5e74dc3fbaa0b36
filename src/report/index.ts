// Public API of src/report (filled as the room grows).
export {};
