import { requireStack } from './support/stack-required';

requireStack();
