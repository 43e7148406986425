/** vitest globalSetup of the workers project: stops the Anvil that the config started. */
export default function setup() {
  return () => {
    const pid = Number(process.env.EDGE_EVM_TEST_ANVIL_PID);
    if (pid > 0) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  };
}
