import "server-only";

import { Interface } from "ethers";

/**
 * The parts of the contracts the server calls, as human-readable ABI (a test checks each against
 * the ABI solc produced from contracts/*.sol, so they cannot drift).
 */
export const TOKEN_ABI = [
  "function name() view returns (string)",
  "function symbol() view returns (string)",
  "function decimals() view returns (uint8)",
  "function balanceOf(address account) view returns (uint256)",
] as const;

export const DISTRIBUTOR_ABI = [
  "function token() view returns (address)",
  "function owner() view returns (address)",
  "function paid(bytes32 batchId) view returns (bool)",
  "function distribute(bytes32 batchId, address[] recipients, uint256[] amounts)",
  "event BatchPaid(bytes32 indexed batchId, uint256 count, uint256 total)",
  "error BatchAlreadyPaid(bytes32 batchId)",
  "error BadBatch()",
  "error OwnableUnauthorizedAccount(address account)",
  "error SafeERC20FailedOperation(address token)",
  "error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)",
  "error EnforcedPause()",
] as const;

export const distributorInterface = new Interface(DISTRIBUTOR_ABI);
