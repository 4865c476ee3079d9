/** `status` and `up` print endpoints without their passwords (one implementation, shared with the services). */
export { withoutPassword } from '../services/shared/config/secrets';
