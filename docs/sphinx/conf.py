# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Sphinx configuration of the hwcloud.dms docs site (from antsibull-docs sphinx-init).
# No intersphinx: the site builds offline, without fetching other projects' inventories.

project = 'hwcloud.dms'
copyright = 'hwcloud.dms contributors'
title = 'hwcloud.dms Collection Documentation'
html_short_title = 'hwcloud.dms'

extensions = ['sphinx.ext.autodoc', 'sphinx_antsibull_ext']

pygments_style = 'ansible'
highlight_language = 'YAML+Jinja'

html_theme = 'sphinx_ansible_theme'
html_show_sphinx = False
display_version = False
html_use_smartypants = True
html_use_modindex = False
html_use_index = False
html_copy_source = False

default_role = 'any'
nitpicky = True
