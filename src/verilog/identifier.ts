import { UserError } from '../errors.js';
import { isVerilogIdentifier } from '../netlist/index.js';

/**
 * Reserved words SystemVerilog (IEEE 1800-2017) adds to Verilog's. They are
 * refused in module names too: Verilator and most commercial tools parse `.v`
 * files with them reserved. (Verilog's own, IEEE 1364-2005, are refused by the
 * netlist room's isVerilogIdentifier.)
 */
const SYSTEMVERILOG_2017 = `accept_on alias always_comb always_ff always_latch assert assume before bind bins
binsof bit break byte chandle checker class clocking const constraint context continue cover covergroup
coverpoint cross dist do endchecker endclass endclocking endgroup endinterface endpackage endprogram
endproperty endsequence enum eventually expect export extends extern final first_match foreach forkjoin
global iff ignore_bins illegal_bins implements implies import inside int interconnect interface intersect
join_any join_none let local logic longint matches modport nettype new nexttime null package packed priority
program property protected pure rand randc randcase randsequence ref reject_on restrict return s_always
s_eventually s_nexttime s_until s_until_with sequence shortint shortreal soft solve static string strong
struct super sync_accept_on sync_reject_on tagged this throughout timeprecision timeunit type typedef union
unique unique0 until until_with untyped var virtual void wait_order weak wildcard with within`;

export const SYSTEMVERILOG_RESERVED_WORDS: ReadonlySet<string> = new Set(SYSTEMVERILOG_2017.split(/\s+/).filter((w) => w !== ''));

/**
 * Longest module name accepted. Verilog allows 1024 characters, but the name
 * also becomes file names (`<name>_tb.mem`), which must fit in 255 bytes.
 */
export const MAX_MODULE_NAME_LENGTH = 200;

const SIMPLE_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]*$/;

/** The accepted-form sentence used in error messages. */
export const MODULE_NAME_RULE = `a Verilog identifier: a letter or '_', then letters, digits, '_' or '$', at most ${MAX_MODULE_NAME_LENGTH} characters, not a Verilog/SystemVerilog keyword`;

/**
 * Why `s` cannot be used as a module name, or undefined when it can. Only
 * simple identifiers (IEEE 1364-2005 section 3.7.1) are accepted; escaped
 * identifiers (`\name `) are refused because they also become file names.
 */
export function moduleNameProblem(s: string): string | undefined {
  if (s.length === 0) return 'it is empty';
  if (s.length > MAX_MODULE_NAME_LENGTH) return `it has ${s.length} characters`;
  if (!SIMPLE_IDENTIFIER.test(s)) return 'it contains a character not allowed there';
  if (!isVerilogIdentifier(s) || SYSTEMVERILOG_RESERVED_WORDS.has(s)) return 'it is a reserved word';
  return undefined;
}

/** Returns `s` when it is a legal module name, else throws a UserError naming it and the rule. */
export function checkModuleName(s: string): string {
  const problem = moduleNameProblem(s);
  if (problem !== undefined) {
    throw new UserError(`module name '${printable(s)}' is not accepted (${problem}); expected ${MODULE_NAME_RULE}`);
  }
  return s;
}

/** `s` with control characters escaped and cut to 80 characters, for one-line messages. */
function printable(s: string): string {
  const shown = JSON.stringify(s.length > 80 ? `${s.slice(0, 77)}...` : s);
  return shown.slice(1, -1);
}
