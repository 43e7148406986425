import { bls12_381 } from "@noble/curves/bls12-381.js";
import { p256 } from "@noble/curves/nist.js";
import { sha256 } from "@noble/hashes/sha2.js";

/**
 * Valid precompile inputs (hex, no 0x): the worst-case bench loops on them, and the fuzzer
 * mutates them, since random bytes almost never make a curve point and test only the refusals.
 */

export const word = (n: bigint | number) => BigInt(n).toString(16).padStart(64, "0");
export const hexBytes = (h: string) => Uint8Array.from(h.match(/../g) ?? [], (b) => parseInt(b, 16));

/** The bn254 base field modulus. */
const BN_P = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;
export const BN_G1 = word(1) + word(2);
/** −G1: e(G1, G2)·e(−G1, G2) = 1, so a pairing check of both pairs succeeds. */
export const BN_G1_NEG = word(1) + word(BN_P - 2n);
// EIP-197 order: x imaginary, x real, y imaginary, y real.
export const BN_G2 =
  "198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c2" +
  "1800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed" +
  "090689d0585ff075ec9e99ad690c3395bc4b313370b38ef355acdadcd122975b" +
  "12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa";

/** A BLS12-381 field element: 48 bytes padded to 64 (EIP-2537). */
const fp = (h: string) => "00".repeat(16) + h;
export const BLS_G1 = fp("17f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb") + fp("08b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e1");
export const BLS_G2 =
  fp("024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8") +
  fp("13e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e") +
  fp("0ce5d527727d6e118cc9cdc6da2e351aadfd9baa8cbdd3a76d429a695160d12c923ac9cc3baca289e193548608b82801") +
  fp("0606c4a02ea734cc32acd2b02bc28b99cb3e287e85a763af267492ab572e99ab3f370d275cec1da1aaa9075ff05f79be");
/** A field element below the BLS12-381 modulus, for the map-to-curve precompiles. */
export const BLS_FP = fp("0d".repeat(47) + "01");

export const ECRECOVER_INPUT = "18c547e4f7b0f325ad1e56f57e26c745b09a3e503d86e00e5255ff7f715d3d1c" + word(28) + "73b1693892219d736caba55bdb67216e485557ea6b6af75f37096c9aa6a5a75f" + "eeb940b1d03b21e36b0e47e79769f095fe2ab855bd91e3a38756b7d75a9c4549";

/** A valid secp256r1 signature (EIP-7951 input: hash, r, s, x, y), signed once with a fixed key. */
export const P256_INPUT = (() => {
  const key = hexBytes("c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721");
  const hash = hexBytes("af2bdbe1aa9b6ec1e2ade1d694f41fc71a831d0268e9891562113d8a62add1bf");
  const sig = p256.sign(hash, key, { prehash: false });
  const pub = p256.getPublicKey(key, false);
  const h = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return h(hash) + h(sig.slice(0, 64)) + h(pub.slice(1));
})();

/** EIP-152 input: rounds, state h, message m, offsets t, final flag. */
export function blake2fInput(rounds: number, final = 1): string {
  return rounds.toString(16).padStart(8, "0") + "11".repeat(64) + "22".repeat(128) + "00".repeat(16) + final.toString(16).padStart(2, "0");
}

/** EIP-198 input: lengths, then base, exponent and modulus. */
export function modexpInput(base: string, exp: string, mod: string): string {
  return word(base.length / 2) + word(exp.length / 2) + word(mod.length / 2) + base + exp + mod;
}

/** A point-evaluation input (EIP-4844): versioned hash, z, y, commitment, proof. */
function pointEvaluation(commitment: Uint8Array, z: bigint, y: bigint, proof: Uint8Array): string {
  const hash = sha256(commitment);
  hash[0] = 0x01;
  const h = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return h(hash) + word(z) + word(y) + h(commitment) + h(proof);
}

const G1 = bls12_381.G1.Point;

/**
 * Passes every check up to the pairing, which then fails: commitment and proof are G1, y = 2
 * (so C − [y]G ≠ 0). A failing call does the full pairing and consumes the gas it was given, so
 * with exactly 50,000 gas it costs what a valid one does.
 */
export const POINT_EVALUATION_INPUT = pointEvaluation(G1.BASE.toBytes(true), 1n, 2n, G1.BASE.toBytes(true));
/** A valid opening of the constant polynomial 5: commitment [5]G, y = 5 at any z, proof at infinity. */
export const POINT_EVALUATION_VALID = pointEvaluation(G1.BASE.multiply(5n).toBytes(true), 3n, 5n, G1.ZERO.toBytes(true));
