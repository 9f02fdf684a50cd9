// Runtime entry of @shelfwatch/testing: the compiled barrel (TypeScript resolves the alias to src/ instead).
module.exports = require('../../dist/libs/testing/src/index.js');
