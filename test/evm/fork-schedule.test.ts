import { describe, expect, it } from "vitest";
import { Fork, FORK_NAMES, forkFromName } from "../../src/evm/fork.ts";
import { blobParamsOfBlock, forkOfBlock, MAINNET, parseForkSchedule, scheduleOfChain } from "../../src/evm/fork-schedule.ts";

const block = (number: number, timestamp = 0, difficulty?: bigint) => ({ number: BigInt(number), timestamp: BigInt(timestamp), difficulty });

describe("mainnet schedule", () => {
  it.each([
    [0, 0, "Frontier"],
    [1_149_999, 0, "Frontier"],
    [1_150_000, 0, "Homestead"],
    [1_920_000, 0, "Homestead"], // the DAO fork changed state, not rules
    [2_463_000, 0, "EIP150"],
    [2_675_000, 0, "EIP158"],
    [4_370_000, 0, "Byzantium"],
    [7_280_000, 0, "ConstantinopleFix"], // Constantinople never ran alone on mainnet
    [9_069_000, 0, "Istanbul"],
    [9_200_000, 0, "Istanbul"], // Muir Glacier
    [12_244_000, 0, "Berlin"],
    [12_965_000, 0, "London"],
    [15_050_000, 0, "London"], // Gray Glacier
    [15_537_393, 1_663_224_162, "London"],
    [15_537_394, 1_663_224_179, "Paris"],
    [17_034_870, 1_681_338_455, "Shanghai"],
    [19_426_587, 1_710_338_135, "Cancun"],
    [22_431_084, 1_746_612_311, "Prague"],
    [23_935_694, 1_764_798_551, "Osaka"],
  ])("block %i (time %i) runs %s", (n, t, name) => {
    expect(FORK_NAMES[forkOfBlock(MAINNET, block(n, t))]).toBe(name);
  });

  it("gives the BPO blob parameters from their timestamps, none before", () => {
    expect(blobParamsOfBlock(MAINNET, block(23_935_694, 1_764_798_551))).toBeUndefined();
    expect(blobParamsOfBlock(MAINNET, block(24_000_000, 1_765_290_071))?.max).toBe(15);
    expect(blobParamsOfBlock(MAINNET, block(25_000_000, 1_800_000_000))?.max).toBe(21);
  });
});

describe("test networks", () => {
  it("knows Sepolia, Holesky and Hoodi by chain id", () => {
    expect(forkOfBlock(scheduleOfChain(11155111n)!, block(1_450_408, 1_655_000_000))).toBe(Fork.London);
    expect(forkOfBlock(scheduleOfChain(11155111n)!, block(1_450_409, 1_655_000_100))).toBe(Fork.Paris);
    expect(forkOfBlock(scheduleOfChain(17000n)!, block(1, 1_700_000_000))).toBe(Fork.Shanghai);
    expect(forkOfBlock(scheduleOfChain(560048n)!, block(1, 1_742_999_832))).toBe(Fork.Prague);
    expect(scheduleOfChain(1n)).toBe(MAINNET);
    expect(scheduleOfChain(31337n)).toBeUndefined();
  });
});

describe("schedule from configuration", () => {
  it("reads geth's chain config, Petersburg with Constantinople when it has no block of its own", () => {
    const s = parseForkSchedule({ chainId: 5, homesteadBlock: 0, eip150Block: "0x0", eip155Block: 0, eip158Block: 0, byzantiumBlock: 0, constantinopleBlock: 10, istanbulBlock: 20, berlinBlock: 30, londonBlock: "40", shanghaiTime: 1000, cancunTime: 2000 });
    expect(forkOfBlock(s, block(9))).toBe(Fork.Byzantium);
    expect(forkOfBlock(s, block(10))).toBe(Fork.Petersburg);
    expect(forkOfBlock(s, block(39, 10))).toBe(Fork.Berlin);
    expect(forkOfBlock(s, block(45, 999))).toBe(Fork.London);
    expect(forkOfBlock(s, block(46, 1500))).toBe(Fork.Shanghai);
    expect(forkOfBlock(s, block(47, 2000))).toBe(Fork.Cancun);
  });

  it("takes Paris from the first block of difficulty 0 when only a terminal total difficulty is given", () => {
    const s = parseForkSchedule({ londonBlock: 0, terminalTotalDifficulty: "0xc70d808a128d7380000" });
    expect(forkOfBlock(s, block(100, 0, 2n ** 40n))).toBe(Fork.London);
    expect(forkOfBlock(s, block(101, 0, 0n))).toBe(Fork.Paris);
  });

  it("reads fork names with blocks or timestamps, bare numbers after Paris being timestamps", () => {
    const s = parseForkSchedule({ London: 5, merge: { block: 8 }, shanghai: 100, "gray-glacier": 6, cancun: { timestamp: "200" } });
    expect(forkOfBlock(s, block(4))).toBe(Fork.Frontier);
    expect(forkOfBlock(s, block(7))).toBe(Fork.London);
    expect(forkOfBlock(s, block(8, 99))).toBe(Fork.Paris);
    expect(forkOfBlock(s, block(9, 100))).toBe(Fork.Shanghai);
    expect(forkOfBlock(s, block(10, 250))).toBe(Fork.Cancun);
  });

  it("reads BPO blob parameters from geth's blobSchedule", () => {
    const s = parseForkSchedule({ osakaTime: 0, bpo1Time: 50, blobSchedule: { osaka: { max: 9, baseFeeUpdateFraction: 5007716 }, bpo1: { max: 15, baseFeeUpdateFraction: 8346193 } } });
    expect(blobParamsOfBlock(s, block(1, 49))).toBeUndefined();
    expect(blobParamsOfBlock(s, block(2, 50))).toEqual({ timestamp: 50n, max: 15, updateFraction: 8346193n });
  });

  it("refuses an activation that is not a number", () => {
    expect(() => parseForkSchedule({ londonBlock: "soon" })).toThrow(/londonBlock/);
    expect(() => parseForkSchedule({ london: {} })).toThrow(/block or a timestamp/);
  });
});

describe("fork names", () => {
  it("knows the EF test names, the upgrade names and the bomb-only forks", () => {
    expect(forkFromName("EIP150")).toBe(Fork.TangerineWhistle);
    expect(forkFromName("tangerine_whistle")).toBe(Fork.TangerineWhistle);
    expect(forkFromName("ConstantinopleFix")).toBe(Fork.Petersburg);
    expect(forkFromName("Constantinople")).toBe(Fork.Constantinople);
    expect(forkFromName("Merge")).toBe(Fork.Paris);
    expect(forkFromName("arrowGlacier")).toBe(Fork.London);
    expect(forkFromName("Byzantium")).toBe(Fork.Byzantium);
    expect(forkFromName("Amsterdam")).toBeUndefined();
  });
});
