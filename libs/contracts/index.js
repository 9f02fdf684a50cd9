// Runtime entry of @shelfwatch/contracts: the compiled barrel (TypeScript resolves the alias to src/ instead).
module.exports = require('../../dist/libs/contracts/src/index.js');
