"""Templates compiled ahead by scripts/compile_templates.py: do not edit."""

JINJA2_VERSION = '3.1.6'
CODE_GENERATOR = 'model-2'
TEMPLATES_DIGEST = '5f0b107cea085d597014255b0a5d1a110bad9b01034b56d17fee9ffb3bd296bd'
