import Counter from "../contracts/Counter.json";
import Mover from "../contracts/Mover.json";
import Token from "../contracts/Token.json";

/** Compiled test contracts (test/contracts/*.sol, artifacts from scripts/compile-test-contracts.ts). */
export const COUNTER = Counter.bytecode;
export const MOVER = Mover.bytecode;
export const TOKEN = Token.bytecode;
