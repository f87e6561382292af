// Innovation ideas as the domain sees them.

export const IDEA_STATUSES = ['submitted', 'in_review', 'accepted', 'implemented', 'rejected'] as const;
import type { District, FieldOfAction } from '../domain/vocabulary';
export type IdeaStatus = (typeof IDEA_STATUSES)[number];

/** Where an idea may go from each status; implemented and rejected are final. */
export const TRANSITIONS: Record<IdeaStatus, readonly IdeaStatus[]> = {
  submitted: ['in_review', 'accepted', 'rejected'],
  in_review: ['accepted', 'rejected'],
  accepted: ['implemented', 'rejected'],
  implemented: [],
  rejected: [],
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
