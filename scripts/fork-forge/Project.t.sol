// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// A forge test run with --fork-url against a project's own chain on edge-evm (/rpc/{key}), as
// against any node: it reads a Counter deployed over REST and increments it in forge's fork.
interface ICounter {
    function count() external view returns (uint256);
    function increment() external;
}

interface Vm {
    function envAddress(string calldata name) external view returns (address);
    function envUint(string calldata name) external view returns (uint256);
}

contract ProjectChainTest {
    Vm constant vm = Vm(0x7109709ECfa91a80626fF3989D68f67F5b1DD12D);

    function testCounterOnProjectChain() public {
        ICounter counter = ICounter(vm.envAddress("PROJECT_COUNTER"));
        uint256 seen = counter.count();
        require(seen == vm.envUint("PROJECT_COUNT"), "the chain's count is not seen");
        counter.increment();
        require(counter.count() == seen + 1, "increment not applied in the fork");
    }
}
