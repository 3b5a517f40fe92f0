/**
 * Custom messages between this client and the server (beyond the standard
 * LSP ones and the commands in interfaces.md).
 */
export {
  FLAGS_CHANGED_NOTIFICATION,
  REPORT_CHANGED_NOTIFICATION,
  REPORT_REQUEST,
  STATUS_NOTIFICATION,
  WHOAMI_REQUEST,
  changeMessage,
  usedTimes,
  type FlagChange,
  type FlagsChangedParams,
  type ReportFlag,
  type ReportResult,
  type StatusParams,
  type WhoAmIResult,
} from '../../server/src/shared';

/** Argument of the client commands that act on one flag. */
export interface FlagArg {
  key: string;
}
