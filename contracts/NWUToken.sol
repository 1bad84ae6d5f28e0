// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Capped} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Capped.sol";
import {ERC20Pausable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Pausable.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title NWU Protocol Token
/// @notice The reward token: 18 decimals, a hard cap on supply, minting only by accounts the owner
/// names, and an owner switch that pauses every transfer (incident response).
contract NWUToken is ERC20Capped, ERC20Pausable, Ownable {
    mapping(address account => bool) public isMinter;

    event MinterSet(address indexed account, bool allowed);

    error NotMinter(address account);

    constructor(address initialOwner, uint256 supplyCap) ERC20("NWU Protocol Token", "NWU") ERC20Capped(supplyCap) Ownable(initialOwner) {}

    function setMinter(address account, bool allowed) external onlyOwner {
        isMinter[account] = allowed;
        emit MinterSet(account, allowed);
    }

    function mint(address to, uint256 amount) external {
        if (!isMinter[msg.sender]) revert NotMinter(msg.sender);
        _mint(to, amount);
    }

    function pause() external onlyOwner {
        _pause();
    }

    function unpause() external onlyOwner {
        _unpause();
    }

    // Both parents extend ERC20._update: the cap check and the pause check each run.
    function _update(address from, address to, uint256 value) internal override(ERC20Capped, ERC20Pausable) {
        super._update(from, to, value);
    }
}
