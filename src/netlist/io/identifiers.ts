/** Verilog-2001 reserved words (IEEE 1364-2001, Annex B). */
const KEYWORDS = new Set(
  (
    'always and assign automatic begin buf bufif0 bufif1 case casex casez cell cmos config deassign default defparam ' +
    'design disable edge else end endcase endconfig endfunction endgenerate endmodule endprimitive endspecify ' +
    'endtable endtask event for force forever fork function generate genvar highz0 highz1 if ifnone incdir include ' +
    'initial inout input instance integer join large liblist library localparam macromodule medium module nand ' +
    'negedge nmos nor noshowcancelled not notif0 notif1 or output parameter pmos posedge primitive pull0 pull1 ' +
    'pulldown pullup pulsestyle_onevent pulsestyle_ondetect rcmos real realtime reg release repeat rnmos rpmos ' +
    'rtran rtranif0 rtranif1 scalared showcancelled signed small specify specparam strong0 strong1 supply0 supply1 ' +
    'table task time tran tranif0 tranif1 tri tri0 tri1 triand trior trireg unsigned use uwire vectored wait wand ' +
    'weak0 weak1 while wire wor xnor xor'
  ).split(' '),
);

/** A simple (non-escaped) Verilog identifier that is not a reserved word. */
export function isVerilogIdentifier(s: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_$]*$/.test(s) && !KEYWORDS.has(s);
}

/**
 * Maps any string to a simple Verilog identifier: characters outside
 * [A-Za-z0-9_$] become '_', a leading digit or '$' (or an empty name) gets a
 * '_' prefix, a reserved word gets a '_' suffix. Identity on valid identifiers.
 */
export function sanitizeIdentifier(s: string): string {
  let r = s.replace(/[^A-Za-z0-9_$]/g, '_');
  if (r === '' || /^[0-9$]/.test(r)) r = '_' + r;
  if (KEYWORDS.has(r)) r += '_';
  return r;
}
