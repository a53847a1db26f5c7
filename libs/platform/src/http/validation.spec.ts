import { ValidationError } from '@nestjs/common';
import { flattenValidationErrors } from './validation';

describe('flattenValidationErrors', () => {
  it('names nested fields with their path and drops the property prefix', () => {
    const child: ValidationError = {
      property: 'role',
      constraints: { isIn: 'role must be one of: signatory, observer' },
      children: [],
    };
    const item: ValidationError = { property: '0', children: [child] };
    const root: ValidationError = { property: 'parties', children: [item] };
    const unknown: ValidationError = {
      property: 'colour',
      constraints: { whitelistValidation: 'property colour should not exist' },
    };
    expect(flattenValidationErrors([root, unknown])).toEqual([
      { field: 'parties[0].role', message: 'must be one of: signatory, observer' },
      { field: 'colour', message: 'is not a known field' },
    ]);
  });
});
