import { Fork } from "../fork.ts";
import type { Frame } from "../frame.ts";
import { STACK_LIMIT } from "../gas.ts";
import * as arith from "./arithmetic.ts";
import * as bit from "./bitwise.ts";
import * as block from "./block.ts";
import * as ctl from "./control.ts";
import * as env from "./environment.ts";
import * as host from "./host.ts";
import * as legacy from "./host-legacy.ts";
import * as mem from "./memory.ts";
import * as stk from "./stack.ts";
import * as sys from "./system.ts";

export type Instruction = (f: Frame) => void;

/** Everything the loop checks before dispatch, per opcode, for one fork. */
export interface InstructionTable {
  readonly fns: Instruction[];
  readonly names: string[];
  /** Static gas charged before the instruction runs. */
  readonly gas: Int32Array;
  /** Stack items the instruction reads. */
  readonly minStack: Uint8Array;
  /** Largest stack height at which the instruction can still push its outputs. */
  readonly maxStack: Int16Array;
}

interface OpInfo {
  name: string;
  fn: Instruction;
  gas: number;
  inputs: number;
  outputs: number;
  since: Fork;
}

/** What an opcode was before a fork changed it: its body or its static gas. */
interface Earlier {
  /** The first fork that no longer uses this version. */
  until: Fork;
  fn: Instruction;
  gas: number;
  name?: string;
}

const ops = new Map<number, OpInfo>();
const history = new Map<number, Earlier[]>();

/** An opcode as the latest fork defines it, and the fork that introduced it. */
function def(code: number, name: string, fn: Instruction, gas: number, inputs: number, outputs: number, since: Fork = Fork.Frontier): void {
  ops.set(code, { name, fn, gas, inputs, outputs, since });
}

/** Before fork `until`, the opcode ran `fn` at `gas` (declared in any order). */
function before(until: Fork, code: number, fn: Instruction, gas: number, name?: string): void {
  const list = history.get(code) ?? [];
  list.push({ until, fn, gas, name });
  list.sort((a, b) => a.until - b.until);
  history.set(code, list);
}

def(0x00, "STOP", ctl.stop, 0, 0, 0);
def(0x01, "ADD", arith.add, 3, 2, 1);
def(0x02, "MUL", arith.mul, 5, 2, 1);
def(0x03, "SUB", arith.sub, 3, 2, 1);
def(0x04, "DIV", arith.div, 5, 2, 1);
def(0x05, "SDIV", arith.sdiv, 5, 2, 1);
def(0x06, "MOD", arith.mod, 5, 2, 1);
def(0x07, "SMOD", arith.smod, 5, 2, 1);
def(0x08, "ADDMOD", arith.addmod, 8, 3, 1);
def(0x09, "MULMOD", arith.mulmod, 8, 3, 1);
def(0x0a, "EXP", arith.exp, 10, 2, 1);
def(0x0b, "SIGNEXTEND", arith.signextend, 5, 2, 1);
def(0x10, "LT", bit.lt, 3, 2, 1);
def(0x11, "GT", bit.gt, 3, 2, 1);
def(0x12, "SLT", bit.slt, 3, 2, 1);
def(0x13, "SGT", bit.sgt, 3, 2, 1);
def(0x14, "EQ", bit.eq, 3, 2, 1);
def(0x15, "ISZERO", bit.iszero, 3, 1, 1);
def(0x16, "AND", bit.and, 3, 2, 1);
def(0x17, "OR", bit.or, 3, 2, 1);
def(0x18, "XOR", bit.xor, 3, 2, 1);
def(0x19, "NOT", bit.not, 3, 1, 1);
def(0x1a, "BYTE", bit.byte, 3, 2, 1);
def(0x1b, "SHL", bit.shl, 3, 2, 1, Fork.Constantinople); // EIP-145
def(0x1c, "SHR", bit.shr, 3, 2, 1, Fork.Constantinople);
def(0x1d, "SAR", bit.sar, 3, 2, 1, Fork.Constantinople);
def(0x1e, "CLZ", bit.clz, 5, 1, 1, Fork.Osaka);
def(0x20, "KECCAK256", host.keccak, 30, 2, 1);
def(0x30, "ADDRESS", env.address, 2, 0, 1);
def(0x31, "BALANCE", host.balance, 100, 1, 1);
def(0x32, "ORIGIN", env.origin, 2, 0, 1);
def(0x33, "CALLER", env.caller, 2, 0, 1);
def(0x34, "CALLVALUE", env.callvalue, 2, 0, 1);
def(0x35, "CALLDATALOAD", env.calldataload, 3, 1, 1);
def(0x36, "CALLDATASIZE", env.calldatasize, 2, 0, 1);
def(0x37, "CALLDATACOPY", env.calldatacopy, 3, 3, 0);
def(0x38, "CODESIZE", env.codesize, 2, 0, 1);
def(0x39, "CODECOPY", env.codecopy, 3, 3, 0);
def(0x3a, "GASPRICE", env.gasprice, 2, 0, 1);
def(0x3b, "EXTCODESIZE", host.extcodesize, 100, 1, 1);
def(0x3c, "EXTCODECOPY", host.extcodecopy, 100, 4, 0);
def(0x3d, "RETURNDATASIZE", env.returndatasize, 2, 0, 1, Fork.Byzantium); // EIP-211
def(0x3e, "RETURNDATACOPY", env.returndatacopy, 3, 3, 0, Fork.Byzantium);
def(0x3f, "EXTCODEHASH", host.extcodehash, 100, 1, 1, Fork.Constantinople); // EIP-1052
def(0x40, "BLOCKHASH", block.blockhash, 20, 1, 1);
def(0x41, "COINBASE", block.coinbase, 2, 0, 1);
def(0x42, "TIMESTAMP", block.timestamp, 2, 0, 1);
def(0x43, "NUMBER", block.number, 2, 0, 1);
def(0x44, "PREVRANDAO", block.prevrandao, 2, 0, 1); // EIP-4399
def(0x45, "GASLIMIT", block.gaslimit, 2, 0, 1);
def(0x46, "CHAINID", block.chainid, 2, 0, 1, Fork.Istanbul); // EIP-1344
def(0x47, "SELFBALANCE", block.selfbalance, 5, 0, 1, Fork.Istanbul); // EIP-1884
def(0x48, "BASEFEE", block.basefee, 2, 0, 1, Fork.London); // EIP-3198
def(0x49, "BLOBHASH", block.blobhash, 3, 1, 1, Fork.Cancun); // EIP-4844
def(0x4a, "BLOBBASEFEE", block.blobbasefee, 2, 0, 1, Fork.Cancun); // EIP-7516
def(0x50, "POP", stk.pop, 2, 1, 0);
def(0x51, "MLOAD", mem.mload, 3, 1, 1);
def(0x52, "MSTORE", mem.mstore, 3, 2, 0);
def(0x53, "MSTORE8", mem.mstore8, 3, 2, 0);
def(0x54, "SLOAD", host.sload, 100, 1, 1);
def(0x55, "SSTORE", host.sstore, 0, 2, 0);
def(0x56, "JUMP", ctl.jump, 8, 1, 0);
def(0x57, "JUMPI", ctl.jumpi, 10, 2, 0);
def(0x58, "PC", ctl.pc, 2, 0, 1);
def(0x59, "MSIZE", mem.msize, 2, 0, 1);
def(0x5a, "GAS", ctl.gas, 2, 0, 1);
def(0x5b, "JUMPDEST", ctl.jumpdest, 1, 0, 0);
def(0x5c, "TLOAD", host.tload, 100, 1, 1, Fork.Cancun); // EIP-1153
def(0x5d, "TSTORE", host.tstore, 100, 2, 0, Fork.Cancun);
def(0x5e, "MCOPY", mem.mcopy, 3, 3, 0, Fork.Cancun); // EIP-5656
def(0x5f, "PUSH0", stk.push0, 2, 0, 1, Fork.Shanghai); // EIP-3855
def(0x60, "PUSH1", stk.push1, 3, 0, 1);
def(0x61, "PUSH2", stk.push2, 3, 0, 1);
for (let n = 3; n <= 32; n++) def(0x5f + n, `PUSH${n}`, stk.makePush(n), 3, 0, 1);
for (let n = 1; n <= 16; n++) def(0x7f + n, `DUP${n}`, stk.makeDup(n), 3, n, n + 1);
for (let n = 1; n <= 16; n++) def(0x8f + n, `SWAP${n}`, stk.makeSwap(n), 3, n + 1, n + 1);
for (let n = 0; n <= 4; n++) def(0xa0 + n, `LOG${n}`, host.makeLog(n), 375 * (n + 1), n + 2, 0);
def(0xf0, "CREATE", sys.create, 32000, 3, 1);
def(0xf1, "CALL", sys.call, 0, 7, 1);
def(0xf2, "CALLCODE", sys.callcode, 0, 7, 1);
def(0xf3, "RETURN", ctl.ret, 0, 2, 0);
def(0xf4, "DELEGATECALL", sys.delegatecall, 0, 6, 1, Fork.Homestead); // EIP-7
def(0xf5, "CREATE2", sys.create2, 32000, 4, 1, Fork.Constantinople); // EIP-1014
def(0xfa, "STATICCALL", sys.staticcall, 0, 6, 1, Fork.Byzantium); // EIP-214
def(0xfd, "REVERT", ctl.revert, 0, 2, 0, Fork.Byzantium); // EIP-140
def(0xfe, "INVALID", ctl.invalid, 0, 0, 0);
def(0xff, "SELFDESTRUCT", sys.selfdestruct, 5000, 1, 0);

// What earlier forks ran instead. Account and storage reads before EIP-2929 (Berlin) know no
// warm or cold: their whole price is static. EIP-150 (Tangerine Whistle) and EIP-1884
// (Istanbul) repriced them.
before(Fork.TangerineWhistle, 0x31, legacy.balance, 20);
before(Fork.Istanbul, 0x31, legacy.balance, 400);
before(Fork.Berlin, 0x31, legacy.balance, 700);
before(Fork.TangerineWhistle, 0x3b, legacy.extcodesize, 20);
before(Fork.Berlin, 0x3b, legacy.extcodesize, 700);
before(Fork.TangerineWhistle, 0x3c, legacy.extcodecopy, 20);
before(Fork.Berlin, 0x3c, legacy.extcodecopy, 700);
before(Fork.Istanbul, 0x3f, legacy.extcodehash, 400);
before(Fork.Berlin, 0x3f, legacy.extcodehash, 700);
before(Fork.TangerineWhistle, 0x54, legacy.sload, 50);
before(Fork.Istanbul, 0x54, legacy.sload, 200);
before(Fork.Berlin, 0x54, legacy.sload, 800);
// SSTORE: set or reset until Istanbul, with Constantinople's EIP-1283 that Petersburg took back;
// EIP-2200 net metering in Istanbul; EIP-2929 prices in Berlin; EIP-3529 refunds from London.
before(Fork.Constantinople, 0x55, legacy.sstore, 0);
before(Fork.Petersburg, 0x55, legacy.sstoreEip1283, 0);
before(Fork.Istanbul, 0x55, legacy.sstore, 0);
before(Fork.Berlin, 0x55, legacy.sstoreEip2200, 0);
before(Fork.London, 0x55, host.sstoreBerlin, 0);
before(Fork.SpuriousDragon, 0x0a, arith.expFrontier, 10); // EIP-160: 50 a byte of exponent since
before(Fork.Paris, 0x44, block.difficulty, 2, "DIFFICULTY");
before(Fork.TangerineWhistle, 0xff, sys.selfdestruct, 0);

function build(fork: Fork): InstructionTable {
  const t: InstructionTable = {
    fns: new Array<Instruction>(256).fill(ctl.invalid),
    names: Array.from({ length: 256 }, (_, i) => `0x${i.toString(16).padStart(2, "0")}`),
    gas: new Int32Array(256),
    minStack: new Uint8Array(256),
    maxStack: new Int16Array(256).fill(STACK_LIMIT),
  };
  for (const [code, op] of ops) {
    if (op.since > fork) continue;
    // The oldest version still in force at `fork`, else the latest definition.
    const v = history.get(code)?.find((e) => fork < e.until) ?? op;
    t.fns[code] = v.fn;
    t.names[code] = v.name ?? op.name;
    t.gas[code] = v.gas;
    t.minStack[code] = op.inputs;
    t.maxStack[code] = STACK_LIMIT - Math.max(0, op.outputs - op.inputs);
  }
  return t;
}

const tables = new Map<Fork, InstructionTable>();

export function instructionTable(fork: Fork): InstructionTable {
  let t = tables.get(fork);
  if (t === undefined) tables.set(fork, (t = build(fork)));
  return t;
}
