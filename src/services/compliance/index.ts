export {
  contactRequestSchema,
  parseContactRequest,
  type ContactRequestInput,
  type ParseContactRequestResult,
  type RequestInvalid,
} from './contact-request.schema.js';
export { PolicyFileError, loadPolicyFile, policyFromDocument, resolvePolicy } from './policy-file.js';
