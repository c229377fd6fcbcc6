/**
 * Secrets Manager's errors in the AWS JSON 1.1 shape (`__type`, `Message`: the member its error
 * shapes declare), so the real SDK raises the class it raises in production
 * (`ResourceNotFoundException`, `InvalidParameterException`…). The texts of the not-found answers
 * are the ones Secrets Manager sends.
 */
export type SecretsManagerErrorName = 'ResourceNotFoundException' | 'InvalidParameterException' | 'InvalidRequestException' | 'ResourceExistsException';

export class SecretsManagerError extends Error {
  readonly type: SecretsManagerErrorName;

  constructor(type: SecretsManagerErrorName, message: string) {
    super(message);
    this.name = type;
    this.type = type;
  }

  toBody(): Record<string, unknown> {
    return { __type: this.type, Message: this.message };
  }
}

export const secretNotFound = (): SecretsManagerError => new SecretsManagerError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");

/** `kind` is how the request named the version: `staging label` or `VersionId`. */
export const versionNotFound = (kind: 'staging label' | 'VersionId', name: string): SecretsManagerError =>
  new SecretsManagerError('ResourceNotFoundException', `Secrets Manager can't find the specified secret value for ${kind}: ${name}`);

export const invalidParameter = (message: string): SecretsManagerError => new SecretsManagerError('InvalidParameterException', message);
