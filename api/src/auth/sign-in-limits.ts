import { AddressLimiter } from '../common/address-limiter';

/** Per client address budgets of the two unauthenticated endpoints that cost a password hash. */
export class SignInLimits {
  constructor(
    readonly login: AddressLimiter,
    readonly register: AddressLimiter,
  ) {}
}
