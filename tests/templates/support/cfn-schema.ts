/**
 * A schema check for CloudFormation/SAM templates against the CloudFormation resource
 * specification published on npm as @aws-cdk/cfnspec (which includes the SAM resource types).
 * cfn-lint (Python) is not installable here; this checks what its schema rules check first:
 * resource types exist, property names exist, required properties are present, primitive types
 * match, and every Ref, Fn::GetAtt and Fn::Sub variable resolves to a parameter, a resource (with
 * that attribute) or a pseudo parameter.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { installDependencies } from './projects.ts';

interface PropertySpec {
  Required?: boolean;
  PrimitiveType?: string;
  Type?: string;
  ItemType?: string;
  PrimitiveItemType?: string;
  Types?: string[];
  PrimitiveTypes?: string[];
}
interface Spec {
  ResourceTypes: Record<string, { Properties: Record<string, PropertySpec>; Attributes?: Record<string, unknown> }>;
  PropertyTypes: Record<string, { Properties?: Record<string, PropertySpec> }>;
  ResourceSpecificationVersion: string;
}

export const CFNSPEC_VERSION = '2.72.1';

export async function loadCfnSpec(): Promise<Spec> {
  const dir = await installDependencies(JSON.stringify({ devDependencies: { '@aws-cdk/cfnspec': CFNSPEC_VERSION } }));
  const spec = JSON.parse(readFileSync(join(dir, 'node_modules/@aws-cdk/cfnspec/spec/specification.json'), 'utf8')) as Spec;
  for (const [name, resource] of Object.entries(LATER_RESOURCE_TYPES)) {
    if (name in spec.ResourceTypes) throw new Error(`${name} is in the published specification now: drop it from LATER_RESOURCE_TYPES`);
    spec.ResourceTypes[name] = resource;
  }
  for (const [resource, properties] of Object.entries(LATER_PROPERTIES)) {
    for (const name of Object.keys(properties)) if (name in spec.ResourceTypes[resource]!.Properties) throw new Error(`${resource}.${name} is in the published specification now: drop it from LATER_PROPERTIES`);
    Object.assign(spec.ResourceTypes[resource]!.Properties, properties);
  }
  Object.assign(spec.PropertyTypes, LATER_PROPERTY_TYPES);
  return spec;
}

/*
 * @aws-cdk/cfnspec stopped at 2.72.1 (2023), before Lambda Managed Instances (December 2025). What the
 * templates use of them is transcribed here from AWS's references, in the specification's own shape,
 * so they are checked like everything else instead of reported as unknown:
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-capacityprovider.html
 * (attributes Arn and State as in aws-cdk-lib's CfnCapacityProvider) and
 * https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-capacityproviderconfig.html
 * https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-functionscalingconfig.html
 * Likewise Aurora DSQL's cluster, checked against the CfnCluster aws-cdk-lib 2.276.0 generates from CloudFormation's
 * own schema (its props and attr* getters):
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-dsql-cluster.html
 */
const LATER_RESOURCE_TYPES: Spec['ResourceTypes'] = {
  'AWS::DSQL::Cluster': {
    Properties: {
      DeletionProtectionEnabled: { PrimitiveType: 'Boolean' },
      KmsEncryptionKey: { PrimitiveType: 'String' },
      MultiRegionProperties: { Type: 'MultiRegionProperties' },
      PolicyDocument: { PrimitiveType: 'String' },
      Tags: { Type: 'List', ItemType: 'Tag' },
    },
    Attributes: { CreationTime: {}, EncryptionDetails: {}, Endpoint: {}, Identifier: {}, PolicyVersion: {}, ResourceArn: {}, Status: {}, VpcEndpoint: {}, VpcEndpointServiceName: {} },
  },
  'AWS::Lambda::CapacityProvider': {
    Properties: {
      CapacityProviderName: { PrimitiveType: 'String' },
      CapacityProviderScalingConfig: { Type: 'CapacityProviderScalingConfig' },
      InstanceRequirements: { Type: 'InstanceRequirements' },
      KmsKeyArn: { PrimitiveType: 'String' },
      PermissionsConfig: { Type: 'CapacityProviderPermissionsConfig', Required: true },
      PropagateTags: { Type: 'PropagateTagsConfig' },
      Tags: { Type: 'List', ItemType: 'Tag' },
      VpcConfig: { Type: 'CapacityProviderVpcConfig', Required: true },
    },
    Attributes: { Arn: {}, State: {} },
  },
};
const LATER_PROPERTIES: Record<string, Record<string, PropertySpec>> = {
  'AWS::Serverless::Function': { CapacityProviderConfig: { Type: 'CapacityProviderConfig' }, FunctionScalingConfig: { Type: 'FunctionScalingConfig' } },
};
const LATER_PROPERTY_TYPES: Spec['PropertyTypes'] = {
  'AWS::Lambda::CapacityProvider.CapacityProviderPermissionsConfig': { Properties: { CapacityProviderOperatorRoleArn: { PrimitiveType: 'String', Required: true } } },
  'AWS::Lambda::CapacityProvider.CapacityProviderVpcConfig': {
    Properties: { SecurityGroupIds: { Type: 'List', PrimitiveItemType: 'String', Required: true }, SubnetIds: { Type: 'List', PrimitiveItemType: 'String', Required: true } },
  },
  'AWS::Serverless::Function.FunctionScalingConfig': { Properties: { MinExecutionEnvironments: { PrimitiveType: 'Integer' }, MaxExecutionEnvironments: { PrimitiveType: 'Integer' } } },
  'AWS::Serverless::Function.CapacityProviderConfig': {
    Properties: { Arn: { PrimitiveType: 'String', Required: true }, ExecutionEnvironmentMemoryGiBPerVCpu: { PrimitiveType: 'Double' }, PerExecutionEnvironmentMaxConcurrency: { PrimitiveType: 'Integer' } },
  },
};

const PSEUDO = new Set(['AWS::AccountId', 'AWS::Region', 'AWS::Partition', 'AWS::StackName', 'AWS::StackId', 'AWS::URLSuffix', 'AWS::NoValue', 'AWS::NotificationARNs']);
const PARAMETER_TYPES = /^(String|Number|List<Number>|CommaDelimitedList|AWS::EC2::[A-Za-z:]+::Id|List<AWS::EC2::[A-Za-z:]+::Id>|AWS::SSM::Parameter::Value<.+>)$/;
const INTRINSICS = new Set(['Ref', 'Fn::GetAtt', 'Fn::Sub', 'Fn::Select', 'Fn::Split', 'Fn::Join', 'Fn::If', 'Fn::ImportValue', 'Fn::GetAZs', 'Fn::FindInMap', 'Fn::Base64', 'Fn::Cidr']);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function checkTemplate(template: { [key: string]: Json }, spec: Spec): string[] {
  const errors: string[] = [];
  const parameters = (template.Parameters ?? {}) as Record<string, { Type?: string }>;
  const resources = (template.Resources ?? {}) as Record<string, { Type?: string; Properties?: Record<string, Json> }>;
  for (const [name, parameter] of Object.entries(parameters)) {
    if (!parameter.Type || !PARAMETER_TYPES.test(parameter.Type)) errors.push(`parameter ${name}: unknown type ${parameter.Type}`);
  }
  const known = (name: string) => name in parameters || name in resources || PSEUDO.has(name);

  const checkIntrinsics = (value: Json, where: string, locals: Set<string> = new Set()): void => {
    if (Array.isArray(value)) return value.forEach((item, i) => checkIntrinsics(item, `${where}[${i}]`, locals));
    if (value === null || typeof value !== 'object') return;
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'Ref') {
        if (typeof inner !== 'string' || !known(inner)) errors.push(`${where}: Ref to unknown ${JSON.stringify(inner)}`);
      } else if (key === 'Fn::GetAtt') {
        const [resource, attribute] = Array.isArray(inner) ? (inner as string[]) : String(inner).split('.');
        const type = resource ? resources[resource]?.Type : undefined;
        if (!type) errors.push(`${where}: GetAtt on unknown resource ${resource}`);
        else if (spec.ResourceTypes[type]?.Attributes && !(attribute! in spec.ResourceTypes[type]!.Attributes!)) errors.push(`${where}: ${type} has no attribute ${attribute}`);
      } else if (key === 'Fn::Sub') {
        const [text, variables] = Array.isArray(inner) ? [inner[0] as string, (inner[1] ?? {}) as Record<string, Json>] : [inner as string, {}];
        const names = new Set([...locals, ...Object.keys(variables)]);
        for (const [, variable] of text.matchAll(/\$\{([^}!]+)\}/g)) {
          const [base, attribute] = variable!.split('.');
          if (names.has(variable!)) continue;
          if (attribute) {
            const type = resources[base!]?.Type;
            if (!type || (spec.ResourceTypes[type]?.Attributes && !(attribute in spec.ResourceTypes[type]!.Attributes!))) errors.push(`${where}: Fn::Sub names unknown ${variable}`);
          } else if (!known(base!)) errors.push(`${where}: Fn::Sub names unknown ${variable}`);
        }
        checkIntrinsics(variables as Json, `${where}.Fn::Sub`, locals);
      } else checkIntrinsics(inner, `${where}.${key}`, locals);
    }
  };

  const isIntrinsic = (value: Json) => value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 1 && INTRINSICS.has(Object.keys(value)[0]!);

  const checkPrimitive = (type: string, value: Json, where: string) => {
    if (isIntrinsic(value)) return;
    const ok =
      type === 'String' ? typeof value === 'string' :
      type === 'Integer' || type === 'Long' || type === 'Double' ? typeof value === 'number' || (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) :
      type === 'Boolean' ? typeof value === 'boolean' || value === 'true' || value === 'false' :
      true;
    if (!ok) errors.push(`${where}: expected ${type}, got ${JSON.stringify(value)}`);
  };

  const checkProperties = (typeName: string, owner: string, properties: Record<string, Json>, specs: Record<string, PropertySpec>, where: string) => {
    for (const [name, propertySpec] of Object.entries(specs)) {
      if (propertySpec.Required && !(name in properties)) errors.push(`${where}: missing required ${name}`);
    }
    for (const [name, value] of Object.entries(properties)) {
      const propertySpec = specs[name];
      if (!propertySpec) {
        errors.push(`${where}: ${typeName} has no property ${name}`);
        continue;
      }
      checkValue(owner, propertySpec, value, `${where}.${name}`);
    }
  };

  const checkValue = (owner: string, propertySpec: PropertySpec, value: Json, where: string) => {
    if (isIntrinsic(value)) return;
    if (propertySpec.PrimitiveType) return checkPrimitive(propertySpec.PrimitiveType, value, where);
    if (propertySpec.Type === 'List' || propertySpec.Type === 'Map') {
      const items = propertySpec.Type === 'List' ? (Array.isArray(value) ? value : (errors.push(`${where}: expected a list`), [])) : Object.values((value ?? {}) as Record<string, Json>);
      items.forEach((item, i) => {
        if (propertySpec.PrimitiveItemType) checkPrimitive(propertySpec.PrimitiveItemType, item, `${where}[${i}]`);
        else if (propertySpec.ItemType) checkStructured(owner, propertySpec.ItemType, item, `${where}[${i}]`);
      });
      return;
    }
    if (propertySpec.Type) return checkStructured(owner, propertySpec.Type, value, where);
    // SAM unions (Types / PrimitiveTypes): accept any listed primitive, otherwise check as the first structured type that fits.
    if (propertySpec.PrimitiveTypes && typeof value === 'string') return;
  };

  const checkStructured = (owner: string, type: string, value: Json, where: string) => {
    if (isIntrinsic(value)) return;
    const propertyType = spec.PropertyTypes[`${owner}.${type}`] ?? spec.PropertyTypes[type];
    if (!propertyType?.Properties) return;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      errors.push(`${where}: expected an object of type ${type}`);
      return;
    }
    checkProperties(type, owner, value, propertyType.Properties, where);
  };

  for (const [name, resource] of Object.entries(resources)) {
    const type = resource.Type ?? '';
    const resourceSpec = spec.ResourceTypes[type];
    if (!resourceSpec) {
      errors.push(`${name}: unknown resource type ${type}`);
      continue;
    }
    checkProperties(type, type, resource.Properties ?? {}, resourceSpec.Properties, name);
    checkIntrinsics((resource.Properties ?? {}) as Json, name);
  }
  checkIntrinsics((template.Outputs ?? {}) as Json, 'Outputs');
  return errors;
}
