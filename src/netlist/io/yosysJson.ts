import { UserError } from '../../errors.js';
import { CELL_PINS, GATE_TYPES, Netlist, OUTPUT_PIN, type Bit, type Cell, type GateType } from '../ir.js';
import { schedule } from '../sim/schedule.js';

type JsonBit = number | '0' | '1';

function jsonBit(b: Bit): JsonBit {
  return b === 0 ? '0' : b === 1 ? '1' : b;
}

/**
 * The netlist as Yosys `write_json` output: one module named net.name with
 * ports {direction, bits}, cells {type, port_directions, connections} and
 * netnames (the ports); nets are numbers >= 2, constants the strings "0"/"1".
 * Cells are named $g<index> (hidden names, as Yosys's own generated cells).
 */
export function toYosysJson(net: Netlist): object {
  const ports: Record<string, object> = {};
  const netnames: Record<string, object> = {};
  for (const p of net.ports) {
    ports[p.name] = { direction: p.direction, bits: p.bits.map(jsonBit) };
    netnames[p.name] = { hide_name: 0, bits: p.bits.map(jsonBit), attributes: {} };
  }
  const cells: Record<string, object> = {};
  net.cells.forEach((c, i) => {
    const pins = CELL_PINS[c.type];
    const dirs: Record<string, string> = {};
    const conn: Record<string, JsonBit[]> = {};
    pins.forEach((pin, k) => {
      dirs[pin] = 'input';
      conn[pin] = [jsonBit(c.inputs[k])];
    });
    dirs[OUTPUT_PIN[c.type]] = 'output';
    conn[OUTPUT_PIN[c.type]] = [jsonBit(c.output)];
    cells[`$g${i}`] = { hide_name: 1, type: c.type, parameters: {}, attributes: {}, port_directions: dirs, connections: conn };
  });
  return {
    creator: 'helu-sim',
    modules: { [net.name]: { attributes: { top: '00000000000000000000000000000001' }, ports, cells, netnames } },
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function readBit(v: unknown, where: string): Bit {
  if (v === '0') return 0;
  if (v === '1') return 1;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 2) return v;
  throw new UserError(`${where}: bit ${JSON.stringify(v)} is not supported; expected a net number >= 2 or "0"/"1" (no "x"/"z")`);
}

function pickModule(json: unknown, module?: string): [string, Record<string, unknown>] {
  if (!isRecord(json) || !isRecord(json.modules)) throw new UserError(`not a Yosys JSON netlist: expected an object with 'modules'`);
  const mods = json.modules;
  const names = Object.keys(mods);
  const name =
    module ??
    (names.length === 1
      ? names[0]
      : names.find(
          (n) =>
            isRecord(mods[n]) &&
            isRecord((mods[n] as Record<string, unknown>).attributes) &&
            Number.parseInt(String(((mods[n] as Record<string, unknown>).attributes as Record<string, unknown>).top ?? '0'), 2) === 1,
        ));
  if (name === undefined || !isRecord(mods[name])) {
    throw new UserError(`Yosys JSON module '${module ?? ''}' not found; modules: ${names.join(', ') || '(none)'}`);
  }
  return [name, mods[name] as Record<string, unknown>];
}

/**
 * Reads a Yosys JSON netlist (a module of Yosys internal gate cells: run
 * `techmap; abc -g AND,NAND,OR,NOR,XOR,XNOR,ANDNOT,ORNOT,MUX` or similar first).
 * The module is `module`, else the only one, else the one marked top.
 * Cells are reordered topologically; other cell types, multi-bit cell pins,
 * x/z bits, multiple drivers or combinational loops are UserErrors.
 */
export function fromYosysJson(json: unknown, module?: string): Netlist {
  const [name, mod] = pickModule(json, module);
  const net = new Netlist(name);
  let maxNet = 1;
  const ports = isRecord(mod.ports) ? mod.ports : {};
  for (const [pname, p] of Object.entries(ports)) {
    if (!isRecord(p) || (p.direction !== 'input' && p.direction !== 'output') || !Array.isArray(p.bits)) {
      throw new UserError(`module '${name}' port '${pname}': expected {direction: "input"|"output", bits: [...]}`);
    }
    const bits = p.bits.map((v) => readBit(v, `module '${name}' port '${pname}'`));
    bits.forEach((b) => {
      maxNet = Math.max(maxNet, b);
    });
    net.ports.push({ name: pname, direction: p.direction, bits });
  }
  const cells: Cell[] = [];
  for (const [cname, c] of Object.entries(isRecord(mod.cells) ? mod.cells : {})) {
    const cell = readCell(name, cname, c);
    [...cell.inputs, cell.output].forEach((b) => {
      maxNet = Math.max(maxNet, b);
    });
    cells.push(cell);
  }
  net.nextNet = maxNet + 1;
  const drivers = new Set<Bit>(net.inputs().flatMap((p) => p.bits));
  for (const c of cells) {
    if (c.output <= 1 || drivers.has(c.output)) throw new UserError(`module '${name}': net ${c.output} has more than one driver`);
    drivers.add(c.output);
  }
  for (const b of [...cells.flatMap((c) => c.inputs), ...net.outputs().flatMap((p) => p.bits)]) {
    if (b > 1 && !drivers.has(b)) throw new UserError(`module '${name}': net ${b} is read but never driven`);
  }
  net.cells.push(...cells);
  const sched = schedule(net, 'state');
  // Registers first: their Q outputs are sources, so every combinational cell follows its inputs.
  net.cells.splice(0, net.cells.length, ...sched.registers, ...sched.order);
  return net;
}

function readCell(mod: string, cname: string, c: unknown): Cell {
  const where = `module '${mod}' cell '${cname}'`;
  if (!isRecord(c) || typeof c.type !== 'string') throw new UserError(`${where}: expected {type, connections}`);
  if (!(GATE_TYPES as readonly string[]).includes(c.type)) {
    throw new UserError(`${where}: cell type '${c.type}' is not supported; expected one of ${GATE_TYPES.join(', ')}`);
  }
  const type = c.type as GateType;
  const conn = isRecord(c.connections) ? c.connections : {};
  const pin = (p: string): Bit => {
    const v = conn[p];
    if (!Array.isArray(v) || v.length !== 1) throw new UserError(`${where}: pin ${p} must connect exactly one bit`);
    return readBit(v[0], `${where} pin ${p}`);
  };
  return { type, inputs: CELL_PINS[type].map(pin), output: pin(OUTPUT_PIN[type]) };
}
