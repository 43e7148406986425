// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// The callee of the tracing tests: succeeds, reverts with a reason or a panic, burns all gas.
contract Callee {
    uint256 public stored;

    event Seen(address indexed from, uint256 value);

    function ok(uint256 x) external payable returns (uint256) {
        stored = x;
        emit Seen(msg.sender, x);
        return x + 1;
    }

    function fail(string calldata reason) external pure {
        revert(reason);
    }

    function panic(uint256 d) external pure returns (uint256) {
        return 1 / d;
    }

    function burn() external {
        while (true) stored++;
    }

    /// Calls itself `depth` times, then reverts with a reason at the bottom.
    function deep(uint256 depth) external returns (uint256) {
        if (depth == 0) revert("bottom of the call tree");
        return Callee(address(this)).deep(depth - 1);
    }
}

/// Makes every kind of message the tracers must report.
contract Caller {
    Callee public immutable callee;
    uint256 public counter;

    event Done(uint256 result);

    error Refused(address who, uint256 code);

    constructor() payable {
        callee = new Callee();
    }

    /// CALL with value, STATICCALL, DELEGATECALL, a caught revert, a caught out-of-gas, a
    /// precompile, a plain ether transfer and a CREATE, in one transaction.
    function everything(address payable payee) external payable returns (uint256 r) {
        r = callee.ok{value: 1}(41);
        r += callee.stored();
        (bool okDelegate, ) = address(callee).delegatecall(abi.encodeCall(Callee.ok, (7)));
        require(okDelegate, "delegatecall failed");
        try callee.fail("nope") {} catch Error(string memory) {
            counter += 1;
        }
        try callee.burn{gas: 50_000}() {} catch {
            counter += 1;
        }
        r += uint256(sha256(abi.encodePacked(r))) % 1000;
        payee.transfer(2);
        new Callee();
        emit Done(r);
    }

    /// A revert deep in the call tree, surfaced at the top.
    function deepRevert(uint256 depth) external returns (uint256) {
        return callee.deep(depth);
    }

    function refuse(uint256 code) external view {
        revert Refused(msg.sender, code);
    }

    function divide(uint256 d) external view returns (uint256) {
        return callee.panic(d);
    }
}
