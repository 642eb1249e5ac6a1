/** Faspay's legacy credentials (spec §6): never logged, never in an error message. */
export interface FaspayCredentials {
  /** The API user id, `bot` + merchant id (e.g. bot98765). */
  readonly userId: string;
  readonly password: string;
  /** Faspay's numeric merchant id (the code X-PARTNER-ID also carries). */
  readonly merchantId: string;
}

export interface CardCredentials {
  /** The credit-card merchant id (MERCHANTID) and its transaction password. */
  readonly ccMerchantId: string;
  readonly ccTxnPassword: string;
}
