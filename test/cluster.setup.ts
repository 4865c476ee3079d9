import { useProfileClientEnv } from '../stack/topology';
import { requireStack } from './support/stack-required';

// Every file of the cluster tier, and every service it starts, reaches the cluster's nodes.
process.env.DEEDSTREAM_STACK_PROFILE = 'cluster';
useProfileClientEnv('cluster');
requireStack();
