import { describe, expect, it } from "vitest";
import { portOf } from "../../scripts/dev-args.ts";

describe("npm run dev's port", () => {
  it("takes --port N or --port=N out of wrangler's arguments, else PORT, else 8787", () => {
    expect(portOf(["--port", "8788"], {})).toEqual({ port: "8788", rest: [] });
    expect(portOf(["--port=8789", "--ip", "0.0.0.0"], {})).toEqual({ port: "8789", rest: ["--ip", "0.0.0.0"] });
    expect(portOf(["--ip", "0.0.0.0"], { PORT: "9000" })).toEqual({ port: "9000", rest: ["--ip", "0.0.0.0"] });
    expect(portOf(["--port", "8790"], { PORT: "9000" }).port).toBe("8790");
    expect(portOf([], {})).toEqual({ port: "8787", rest: [] });
    expect(() => portOf(["--port", "x"], {})).toThrow(/TCP port/);
  });
});
