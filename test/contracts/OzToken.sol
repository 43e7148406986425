// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// OpenZeppelin's ERC-20 (custom errors such as ERC20InsufficientBalance), all supply to the deployer.
contract OzToken is ERC20 {
    constructor(uint256 supply) ERC20("Edge Token", "EDGE") {
        _mint(msg.sender, supply);
    }
}
