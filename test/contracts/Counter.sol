// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// The README's quick-start contract and the target of the lost-update test.
contract Counter {
    uint256 public count;

    event Incremented(address indexed by, uint256 count);

    function increment() external {
        count += 1;
        emit Incremented(msg.sender, count);
    }

    /// Reverts with Error(reason).
    function fail(string calldata reason) external pure {
        revert(reason);
    }

    /// Panics with 0x12 (division by zero) when b is 0.
    function divide(uint256 a, uint256 b) external pure returns (uint256) {
        return a / b;
    }
}
