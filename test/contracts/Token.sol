// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// A minimal ERC-20 whose operator (the Mover that created it) may move anyone's balance.
contract Token {
    mapping(address => uint256) public balanceOf;
    uint256 public totalSupply;
    address public immutable operator;

    event Transfer(address indexed from, address indexed to, uint256 value);

    constructor(address holder, uint256 supply) {
        operator = msg.sender;
        totalSupply = supply;
        balanceOf[holder] = supply;
        emit Transfer(address(0), holder, supply);
    }

    function transfer(address to, uint256 value) external returns (bool) {
        _move(msg.sender, to, value);
        return true;
    }

    function move(address from, address to, uint256 value) external {
        require(msg.sender == operator, "not the operator");
        _move(from, to, value);
    }

    function _move(address from, address to, uint256 value) private {
        require(balanceOf[from] >= value, "insufficient balance");
        balanceOf[from] -= value;
        balanceOf[to] += value;
        emit Transfer(from, to, value);
    }
}

/// Creates two tokens (all supply to the deployer) and moves both in one transaction.
contract Mover {
    Token public immutable a;
    Token public immutable b;

    constructor(uint256 supply) {
        a = new Token(msg.sender, supply);
        b = new Token(msg.sender, supply);
    }

    /// Moves amountA of token a and amountB of token b from the caller to `to`: both or neither.
    function moveBoth(address to, uint256 amountA, uint256 amountB) external {
        a.move(msg.sender, to, amountA);
        b.move(msg.sender, to, amountB);
    }
}
