import { CONSISTENCY_HEADER, consistencyTokenParam } from '../read-model';
import { problemResponse, retryAfterHeader, type ApiHeader, type ApiResponse } from './api-description';

/** The read-your-writes header every query of a read model takes (see consistencyTokenOf). */
export const consistencyHeaders: Record<string, ApiHeader> = {
  [CONSISTENCY_HEADER]: {
    description:
      'A consistency token a command answered with ("<id>@<version>"): the answer waits until the read model has applied that version. Same as the query parameter consistentWith.',
    schema: consistencyTokenParam,
  },
};

/** A read model's 503: its index does not exist yet, or a consistency token's version did not arrive in time. */
export const readModelUnavailable: ApiResponse = problemResponse(
  'The read model cannot answer yet: its index does not exist, or the version a consistency token names has not arrived in time.',
  { 'Retry-After': retryAfterHeader },
);
