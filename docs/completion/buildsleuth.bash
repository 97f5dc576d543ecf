# bash completion for buildsleuth                        -*- shell-script -*-
# Installed by `make install` as share/bash-completion/completions/buildsleuth.
# Commands and options are read from the binary's own --help, so they match
# the installed version; values of a few options are completed too.

_buildsleuth_commands()
{
	"$1" --help 2>/dev/null | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p'
}

_buildsleuth_options()
{
	"$1" "$2" --help 2>/dev/null | grep -oE -- '(^|[ ,])--?[a-zA-Z][a-z-]*' |
		sed 's/^[ ,]//' | sort -u
}

_buildsleuth()
{
	local cur prev words cword bin cmd i
	if declare -F _init_completion >/dev/null 2>&1; then
		_init_completion || return
	else
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD - 1]}
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
	fi
	bin=${words[0]}
	command -v "$bin" >/dev/null 2>&1 || bin=buildsleuth

	cmd=
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		-*) ;;
		*) cmd=${words[i]}; break ;;
		esac
	done
	if [[ -z $cmd ]]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W '--help --version -V' -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$(_buildsleuth_commands "$bin")" -- "$cur"))
		fi
		return 0
	fi

	case $prev in
	--format)
		COMPREPLY=($(compgen -W 'text markdown json github csv' -- "$cur"))
		return 0 ;;
	--by)
		COMPREPLY=($(compgen -W 'day week month' -- "$cur"))
		return 0 ;;
	--color | --colour)
		COMPREPLY=($(compgen -W 'auto always never' -- "$cur"))
		return 0 ;;
	--status)
		if [[ $cmd == audit ]]; then
			COMPREPLY=($(compgen -W 'failed timeout' -- "$cur"))
		else
			COMPREPLY=($(compgen -W 'pending building success failed timeout' -- "$cur"))
		fi
		return 0 ;;
	--rules | --logs-dir | --save-dir | --corpus | --source-dir | --suggest-rules)
		COMPREPLY=($(compgen -d -- "$cur"))
		return 0 ;;
	--token-file | --from | --ids-from | --per-build | -o | --output | --dockerfile | \
	--db | --export | --baseline)
		COMPREPLY=($(compgen -f -- "$cur"))
		return 0 ;;
	--top | --timeout | --retries | --interval | --pr | --author | --api-url | \
	--region | --since | --until | --max | --jobs | --shard | --max-literal-share)
		return 0 ;;
	esac

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_buildsleuth_options "$bin" "$cmd")" -- "$cur"))
		return 0
	fi
	case $cmd in
	rules) COMPREPLY=($(compgen -W 'list check test' -- "$cur")) ;;
	help) COMPREPLY=($(compgen -W "$(_buildsleuth_commands "$bin")" -- "$cur")) ;;
	analyze | audit) COMPREPLY=($(compgen -f -- "$cur")) ;;
	esac
	return 0
}
complete -F _buildsleuth buildsleuth
