// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// A forge test run with --fork-url against edge-evm (scripts/fork-forge.ts): it reads the
// network's Uniswap V2 pair through the fork and swaps on it, as any fork test would. No
// forge-std: the two cheatcodes used are declared here.
interface IERC20 {
    function balanceOf(address who) external view returns (uint256);
}

interface IRouter {
    function swapExactTokensForTokens(uint256 amountIn, uint256 amountOutMin, address[] calldata path, address to, uint256 deadline) external returns (uint256[] memory);
}

interface Vm {
    function prank(address sender) external;
    function envAddress(string calldata name) external view returns (address);
}

contract ForkTest {
    Vm constant vm = Vm(0x7109709ECfa91a80626fF3989D68f67F5b1DD12D);

    function testSwapOnFork() public {
        address deployer = vm.envAddress("FORK_DEPLOYER");
        address tokenA = vm.envAddress("FORK_TOKEN_A");
        address tokenB = vm.envAddress("FORK_TOKEN_B");
        uint256 before = IERC20(tokenB).balanceOf(deployer);
        require(IERC20(tokenA).balanceOf(deployer) > 10e18, "the network's balance is not seen");
        address[] memory path = new address[](2);
        path[0] = tokenA;
        path[1] = tokenB;
        vm.prank(deployer);
        uint256[] memory amounts = IRouter(vm.envAddress("FORK_ROUTER")).swapExactTokensForTokens(10e18, 0, path, deployer, type(uint40).max);
        require(amounts[1] > 0, "nothing out");
        require(IERC20(tokenB).balanceOf(deployer) == before + amounts[1], "balance not credited");
    }
}
