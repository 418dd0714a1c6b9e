/**
 * Users and their API tokens (placeholder until the store's schema lands).
 */
import type { Principal } from "../../../api/auth.ts";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyStore = { prisma?: any };

export async function findTokenForAuth(
  _store: AnyStore,
  _tokenId: string,
): Promise<{ tokenHash: string; principal: Principal; revoked: boolean } | null> {
  return null;
}
