// Innovation ideas as the domain sees them.

// 'merged' comes last: history row keys use a status's index, so existing rows keep theirs.
export const IDEA_STATUSES = [
  'submitted',
  'in_review',
  'accepted',
  'implemented',
  'rejected',
  'merged',
] as const;
import type { District, FieldOfAction } from '../domain/vocabulary';
export type IdeaStatus = (typeof IDEA_STATUSES)[number];

/**
 * Where a review may move an idea from each status; implemented, rejected and merged are final.
 * "merged" (a duplicate folded into another idea) is reached only through IdeaService.merge.
 */
export const TRANSITIONS: Record<IdeaStatus, readonly IdeaStatus[]> = {
  submitted: ['in_review', 'accepted', 'rejected'],
  in_review: ['accepted', 'rejected'],
  accepted: ['implemented', 'rejected'],
  implemented: [],
  rejected: [],
  merged: [],
};

export function isFinal(status: IdeaStatus): boolean {
  return TRANSITIONS[status].length === 0;
}

export interface Idea {
  ideaId: string;
  title: string;
  description: string;
  field: FieldOfAction;
  district: District | undefined;
  anonymous: boolean;
  /** Shown only when not anonymous. */
  submitterName: string | undefined;
  /** A named idea whose submitter had their data erased: shown as a former employee's. */
  submitterGone: boolean;
  status: IdeaStatus;
  supportCount: number;
  /** A merged duplicate: the idea it was merged into (its title as it was at the merge). */
  mergedInto?: { ideaId: string; title: string };
  createdAt: Date;
  updatedAt: Date;
}

export interface IdeaHistoryEntry {
  at: Date;
  from: IdeaStatus | undefined;
  to: IdeaStatus;
  /** The officer (AAD object id) and name; empty for the submission itself. */
  byId: string;
  byName: string;
  feedback: string;
}
