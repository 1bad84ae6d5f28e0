// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title NWU reward distributor (the treasury)
/// @notice Holds the reward tokens and pays a whole payout batch in one transaction. Each batch id
/// can be paid once: a transaction re-sent after a crash, or signed again with a new nonce, reverts
/// instead of paying twice.
contract NWUDistributor is Ownable {
    using SafeERC20 for IERC20;

    IERC20 public immutable token;
    mapping(bytes32 batchId => bool) public paid;

    event BatchPaid(bytes32 indexed batchId, uint256 count, uint256 total);

    error BatchAlreadyPaid(bytes32 batchId);
    error BadBatch();

    constructor(IERC20 token_, address initialOwner) Ownable(initialOwner) {
        token = token_;
    }

    function distribute(bytes32 batchId, address[] calldata recipients, uint256[] calldata amounts) external onlyOwner {
        if (paid[batchId]) revert BatchAlreadyPaid(batchId);
        if (recipients.length == 0 || recipients.length != amounts.length) revert BadBatch();
        paid[batchId] = true;
        uint256 total;
        for (uint256 i; i < recipients.length; ++i) {
            token.safeTransfer(recipients[i], amounts[i]);
            total += amounts[i];
        }
        emit BatchPaid(batchId, recipients.length, total);
    }

    /// @notice Moves unneeded treasury funds out (e.g. to a new distributor).
    function withdraw(address to, uint256 amount) external onlyOwner {
        token.safeTransfer(to, amount);
    }
}
