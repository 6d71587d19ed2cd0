# scripts/bench-lib.sh - the functions of scripts/bench.sh (sourced by it).
# They share its variables: repo, bin_dir, run_dir, scratch, run_size, cores,
# pin_prefix, and the case arrays filled by discover_cases.

say() { printf 'bench: %s\n' "$*" >&2; }

format_seconds() {  # 75.3 -> 1m15s
    awk -v s="$1" 'BEGIN { s = int(s + 0.5); if (s >= 60) printf "%dm%02ds", s / 60, s % 60; else printf "%ds", s }'
}

# Writes a file whole: stdin goes to a temporary name, then is renamed.
write_whole() {  # write_whole path < content
    cat > "$1.tmp" && mv "$1.tmp" "$1"
}

write_run_status() {  # status: running, partial, complete, failed
    jq -n --arg status "$1" --arg size "$run_size" --arg started "$(date -u -d "@$started_at" +%FT%TZ)" \
        --arg ended "$(date -u +%FT%TZ)" --arg bin "$bin_dir" \
        '{status: $status, size: $size, started: $started, ended: $ended, bin_dir: $bin}' |
        write_whole "$run_dir/run.json"
}

write_machine_json() {
    local load cflags
    read -r load _ < /proc/loadavg
    cflags=$(make -s --no-print-directory print-build-flags 2>/dev/null || echo unknown)
    jq -n \
        --arg host "$(hostname)" \
        --arg cpu "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)" \
        --argjson nproc "$cores" \
        --argjson memory_kib "$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)" \
        --arg kernel "$(uname -sr)" \
        --arg compiler "$(${CC:-cc} --version | head -1)" \
        --arg flags "$cflags" \
        --arg hyperfine "$(hyperfine --version)" \
        --arg gnuplot "$(gnuplot --version)" \
        --arg commit "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')" \
        --arg date "$(date -u +%FT%TZ)" \
        --argjson load "$load" \
        --arg loadavg "$(cut -d' ' -f1-3 /proc/loadavg)" \
        --arg pinned "${pin_list:-no}" \
        --arg omp_proc_bind "${OMP_PROC_BIND:-unset}" \
        --arg pinning "$pinning" \
        --arg size "$run_size" \
        '{host: $host, cpu_model: $cpu, nproc: $nproc, memory_kib: $memory_kib, kernel: $kernel,
          compiler: $compiler, build_flags: $flags, hyperfine: $hyperfine, gnuplot: $gnuplot,
          git_commit: $commit, date: $date, load_average: $loadavg,
          busy_at_start: ($load > ($nproc * 0.5)), pinned_cpus: $pinned,
          omp_proc_bind: $omp_proc_bind, pinning: $pinning, size: $size}'
}

# The noise guard (issue 12): bin/tools/calibrate measures the parallel
# capacity the machine gives right now; one JSON line per calibration goes to
# calibration.jsonl. Below 0.9 x CPUs the run is disturbed: said here, in
# machine.json (machine.py finish) and next to every verdict of the report.
calibrate_now() {  # calibrate_now label
    local tool=$bin_dir/tools/calibrate line
    [ -x "$tool" ] || tool=$repo/bin/tools/calibrate
    [ -x "$tool" ] || { say "no bin/tools/calibrate: no noise guard (make builds it)"; return 0; }
    line=$("$tool" 2>/dev/null) || { say "calibrate failed"; return 0; }
    jq -c --arg name "$1" --arg at "$(date -u +%FT%TZ)" '. + {label: $name, at: $at}' <<< "$line" \
        >> "$run_dir/calibration.jsonl"
    jq -r --arg name "$1" 'if .parallelism < 0.9 * .cpus then
        "bench: WARNING: machine disturbed \($name): calibration \(.parallelism) of \(.cpus) CPUs"
        else "bench: calibration \($name): \(.parallelism) of \(.cpus) CPUs" end' <<< "$line" >&2
}

# ---- child processes: each in its own process group, so that one kill
# ---- reaches hyperfine, the variant and the variant's own children.
child_group=""
run_in_group() {  # run_in_group stdout-file stderr-file command... ; returns its status
    local out=$1 err=$2; shift 2
    setsid "$@" > "$out" 2> "$err" &
    child_group=$!
    wait "$child_group"
    local status=$?
    child_group=""
    return $status
}

kill_child_group() {
    [ -n "$child_group" ] || return 0
    kill -TERM -- "-$child_group" 2>/dev/null
    local waited=0
    while kill -0 -- "-$child_group" 2>/dev/null && [ $waited -lt 50 ]; do
        sleep 0.1; waited=$((waited + 1))
    done
    kill -KILL -- "-$child_group" 2>/dev/null
    wait "$child_group" 2>/dev/null
    child_group=""
}

servers_dir=""
start_servers_if_needed() {
    local index needed=0
    for index in "${!case_ids[@]}"; do
        [ "${case_servers[$index]}" = flags ] && needed=1
    done
    [ $needed = 1 ] || return 0
    servers_dir=$scratch/servers
    mkdir -p "$servers_dir"
    export FLAGS_SERVERS_DIR=$servers_dir
    [ -n "${flags_delay:-}" ] && export FLAGS_DELAY=$flags_delay
    # the servers of the variants' own folder; $$: they stop if this script dies
    [ -x "$bin_dir/flagserver" ] && export FLAGSERVER=$bin_dir/flagserver
    if [ -x scripts/flagservers.sh ] &&
        scripts/flagservers.sh start "$servers_dir" $$ > "$scratch/servers.log" 2>&1; then
        say "flag servers: LOCAL :$(cat "$servers_dir/local.port" 2>/dev/null)" \
            "DELAY :$(cat "$servers_dir/delay.port" 2>/dev/null) ERROR :$(cat "$servers_dir/error.port" 2>/dev/null)"
        return 0
    fi
    say "flag servers did not start: $(tail -1 "$scratch/servers.log" 2>/dev/null || echo 'no scripts/flagservers.sh')"
    for index in "${!case_ids[@]}"; do
        [ "${case_servers[$index]}" = flags ] && set_case_status "$index" "failed: the flag servers did not start"
    done
}

stop_servers() {
    [ -n "$servers_dir" ] || return 0
    scripts/flagservers.sh stop "$servers_dir" > /dev/null 2>&1 || say "flagservers.sh stop failed"
    servers_dir=""
}

cleanup() {
    kill_child_group
    stop_servers
    [ -n "${scratch:-}" ] && rm -rf -- "$scratch"
}

on_interrupt() {
    trap '' INT TERM
    say "interrupted: stopping, keeping what finished"
    kill_child_group
    rm -f -- "$run_dir"/raw/*.tmp "$run_dir"/records/*.tmp   # the unfinished case
    stop_servers
    finish_run partial
    say "partial results: $run_dir"
    exit 130
}

# CSVs, plots and report from whatever is in the folder; then the run status.
finish_run() {  # finish_run complete|failed|partial
    /usr/bin/python3 scripts/machine.py finish "$run_dir" || say "machine.py finish failed"
    /usr/bin/python3 scripts/bench_collect.py "$run_dir" || say "collecting the CSVs failed"
    if [ "$1" != partial ]; then
        /usr/bin/python3 scripts/plots.py "$run_dir" || say "plotting failed"
    fi
    write_run_status "$1"
    if [ "$1" != partial ]; then
        REPORT=$report_path scripts/report.sh "$run_dir" || say "the report failed"
    fi
}

# ---- cases --------------------------------------------------------------
case_ids=() case_labels=() case_workloads=() case_models=() case_params=() case_values=()
case_args=() case_runs=() case_warmups=() case_ok=() case_status=() case_kinds=()
case_servers=() case_durations=() case_check_walls=() case_same=() case_results=()
workloads=() flags_delay=""

# Sets the variables a workload's bench.conf sets, with the generic default
# for a workload without one: every model once, at its default size, -j cores.
load_conf() {  # load_conf workload
    local conf=workloads/$1/bench.conf
    kind=generic runs=3 warmup=1 servers="" ok_status=0 duration="" cases="" server_delay=""
    if [ -f "$conf" ]; then
        # in a child shell, so that the file's own variables stay there
        local settings
        settings=$(BENCH_SIZE=$run_size CORES=$cores SCRATCH=$scratch bash -c '
            set -u
            kind=generic runs=3 warmup=1 servers="" ok_status=0 duration="" cases="" server_delay=""
            source "$1" || exit 1
            for name in kind runs warmup servers ok_status duration cases server_delay; do
                printf "%s=%q\n" "$name" "${!name}"
            done' load_conf "$conf") || { say "$conf: cannot be read"; return 1; }
        eval "$settings"
        [ -n "$server_delay" ] && flags_delay=$server_delay   # the flag servers' delay
    else
        cases="* workers $cores -j {}"
    fi
    return 0
}

model_matches() {  # model_matches model globs named-models
    local model=$1 glob
    local IFS=,
    for glob in $2; do
        if [ "$glob" = others ]; then
            [[ " $3 " == *" $model "* ]] || return 0
        elif [[ $model == $glob ]]; then
            return 0
        fi
    done
    return 1
}

add_case() {  # add_case workload model param value runs warmup args [duration]
    local index=${#case_ids[@]}
    local id="$1-$2-$3-$4"
    case_ids+=("${id//[^A-Za-z0-9._-]/_}")
    case_labels+=("$1-$2 $3=$4")
    case_workloads+=("$1") case_models+=("$2") case_params+=("$3") case_values+=("$4")
    case_runs+=("$5") case_warmups+=("$6") case_args+=("$7")
    case_ok+=("$ok_status") case_kinds+=("$kind") case_servers+=("$servers")
    case_durations+=("${8-$duration}") case_status+=(unchecked) case_check_walls+=(0) case_results+=("")
    case_same+=("$([ "$kind" = cpu ] && echo 1 || echo 0)")
    write_case_json "$index"
}

# A JSON string: backslashes, quotes and control characters escaped.
json_string() {
    local text=${1//\\/\\\\}
    text=${text//\"/\\\"}
    text=${text//$'\t'/\\t}
    text=${text//$'\n'/\\n}
    text=${text//$'\r'/\\r}
    printf '"%s"' "$text"
}

write_case_json() {  # write_case_json index (printf, not jq: it runs for every case)
    local i=$1
    local duration=${case_durations[$i]:-null}
    {
        printf '{"id": %s, "workload": %s, "model": %s, "kind": %s, ' \
            "$(json_string "${case_ids[$i]}")" "$(json_string "${case_workloads[$i]}")" \
            "$(json_string "${case_models[$i]}")" "$(json_string "${case_kinds[$i]}")"
        printf '"param": %s, "value": %s, "args": %s, "runs": %d, "warmup": %d, ' \
            "$(json_string "${case_params[$i]}")" "$(json_string "${case_values[$i]}")" \
            "$(json_string "${case_args[$i]}")" "${case_runs[$i]}" "${case_warmups[$i]}"
        printf '"status": %s, "duration_s": %s, "check_wall_s": %s, "pinned_cpus": %s}\n' \
            "$(json_string "${case_status[$i]}")" "$duration" "${case_check_walls[$i]}" \
            "$(json_string "${pin_list:-}")"
    } | write_whole "$run_dir/cases/${case_ids[$i]}.json"
}

set_case_status() {  # set_case_status index status
    case_status[$1]=$2
    write_case_json "$1"
}

discover_cases() {
    local path name workload model
    declare -A models_of=()
    for path in "$bin_dir"/*-*; do
        [ -f "$path" ] && [ -x "$path" ] || continue
        name=${path##*/}
        workload=${name%%-*} model=${name#*-}
        [ -d "workloads/$workload" ] || continue   # a tool (bin/costs-py), not a variant
        if [ -n "${BENCH_WORKLOADS:-}" ] && [[ " $BENCH_WORKLOADS " != *" $workload "* ]]; then
            continue
        fi
        models_of[$workload]+="$model "
    done
    [ ${#models_of[@]} -gt 0 ] || return 1
    mapfile -t workloads < <(printf '%s\n' "${!models_of[@]}" | sort)
    for workload in "${workloads[@]}"; do
        load_conf "$workload" || continue
        expand_cases "$workload" "${models_of[$workload]}"
    done
}

expand_cases() {  # expand_cases workload "models..."
    local workload=$1 models=$2 line globs param values rest named="" model value
    local line_runs line_warmup args word covered=" "
    while read -r globs param values rest; do
        [ -n "$globs" ] && [[ $globs != \#* ]] || continue
        if [ "$values" = scan ]; then   # workers 1 .. 2 x cores (tiny: the cores only)
            values=$(seq -s, 1 $((2 * cores)))
            [ "$run_size" = tiny ] && values=$cores
        fi
        line_runs=$runs line_warmup=$warmup line_duration=$duration args=""
        for word in $rest; do
            case $word in
            runs=*) line_runs=${word#runs=} ;;
            warmup=*) line_warmup=${word#warmup=} ;;
            duration=*) line_duration=${word#duration=} ;;   # this line's ideal time
            *) args+="$word " ;;
            esac
        done
        case $run_size in   # fewer runs: quick at most 5 after 1 warm-up, tiny 2 and none
        quick) line_runs=$((line_runs < 5 ? line_runs : 5)) line_warmup=$((line_warmup < 1 ? line_warmup : 1)) ;;
        tiny) line_runs=2 line_warmup=0 ;;
        esac
        local matched=""
        for model in $models; do
            model_matches "$model" "$globs" "$named" || continue
            matched+="$model "
            for value in ${values//,/ }; do
                add_case "$workload" "$model" "$param" "$value" "$line_runs" "$line_warmup" \
                    "${args//\{\}/$value}" "$line_duration"
            done
        done
        named+="$matched" covered+="$matched"
    done <<< "$cases"
    # A model that no line names still runs once, generically.
    for model in $models; do
        [[ "$covered" == *" $model "* ]] || add_case "$workload" "$model" workers "$cores" \
            "$runs" "$warmup" "-j $cores"
    done
}

variant_command() {  # variant_command index -> the words, one per line
    local i=$1
    printf '%s\n' "$bin_dir/${case_workloads[$i]}-${case_models[$i]}" --json
    local words
    read -r -a words <<< "${case_args[$i]}"   # none at all when a case has no arguments
    [ ${#words[@]} -eq 0 ] || printf '%s\n' "${words[@]}"
}

check_case() {  # check_case index: runs it once with --json and checks the record
    local i=$1
    local record=$run_dir/records/${case_ids[$i]}.check.json errors=$scratch/check.err status reason
    [ "${case_status[$i]}" = unchecked ] || return 0
    mapfile -t command < <(variant_command "$i")
    # sleep rows: the check run also samples the tree's PSS (shared pages once)
    [ "${case_kinds[$i]}" = sleep ] &&
        command=(/usr/bin/python3 "$repo/scripts/pss.py" "$run_dir/records/${case_ids[$i]}.pss.json" -- "${command[@]}")
    printf 'bench: check %-40s ' "${case_labels[$i]}" >&2
    run_in_group "$record.tmp" "$errors" "${pin_prefix[@]}" timeout -k 5 900 "${command[@]}"
    status=$?
    mv "$record.tmp" "$record"
    check_record "$i" "$record" "$status" "$errors"
    reason=$check_reason
    if [ -z "$reason" ]; then
        set_case_status "$i" ok
        printf 'ok (%.2f s)\n' "${case_check_walls[$i]}" >&2
    else
        set_case_status "$i" "failed: $reason"
        printf 'FAILED: %s\n' "$reason" >&2
    fi
}

# Sets check_reason to why a check run's record is not acceptable, or to
# nothing; keeps its
# wall time and result (case_check_walls, case_results) for what follows.
check_record() {  # check_record index record status stderr-file
    local i=$1 record=$2 status=$3 errors=$4 keys name verified wall result
    check_reason=""
    local expected="workload,model,workers,tasks,wall_s,user_s,sys_s,maxrss_kib,children_maxrss_kib,vol_ctx,invol_ctx,result,verified"
    if [[ " ${case_ok[$i]} " != *" $status "* ]]; then
        check_reason="exit status $status ($(tail -1 "$errors" | cut -c1-150))"
        return
    fi
    if ! IFS=$'\t' read -r keys name verified wall result < <(jq -sr '
            if length != 1 then error("records: \(length)") else .[0] end
            | [(keys_unsorted | join(",")), "\(.workload)-\(.model)", (.verified | tostring),
               (.wall_s | tostring), (.result | tojson)] | @tsv' "$record" 2>/dev/null); then
        check_reason="not one JSON record on stdout"
        return
    fi
    [ "$keys" = "$expected" ] || { check_reason="record keys: $keys"; return; }
    [ "$name" = "${case_workloads[$i]}-${case_models[$i]}" ] || { check_reason="the record names $name"; return; }
    [ "$verified" = true ] || [ "$status" != 0 ] || { check_reason="exit 0 but verified is $verified"; return; }
    [ "$status" = 0 ] || [ "$status" = 3 ] || [ "$verified" = false ] ||
        { check_reason="exit $status with verified true"; return; }
    case_check_walls[$i]=$wall
    case_results[$i]=$result
}

# CPU-bound workloads compute the same answer in every model: a row whose
# result differs from serial's (same size) is refused, whatever it claims.
compare_results_with_serial() {
    local i j reference
    for i in "${!case_ids[@]}"; do
        [ "${case_same[$i]}" = 1 ] && [ "${case_status[$i]}" = ok ] || continue
        reference=""
        for j in "${!case_ids[@]}"; do
            if [ "${case_models[$j]}" = serial ] && [ "${case_status[$j]}" = ok ] &&
                [ "${case_workloads[$j]}" = "${case_workloads[$i]}" ] && same_size "$i" "$j"; then
                reference=${case_results[$j]}
                break
            fi
        done
        if [ -n "$reference" ] && [ "${case_results[$i]}" != "$reference" ]; then
            set_case_status "$i" "failed: wrong result ${case_results[$i]}, serial gives $reference"
            say "REFUSED ${case_labels[$i]}: ${case_status[$i]}"
        fi
    done
}

same_size() {  # two cases of one workload at the same size (workers aside)
    local i=$1 j=$2
    if [ "${case_params[$i]}" = workers ]; then
        [ "${case_params[$j]}" = workers ]
    else
        [ "${case_params[$j]}" = "${case_params[$i]}" ] && [ "${case_values[$j]}" = "${case_values[$i]}" ]
    fi
}

case_estimate() {  # seconds the timing of case index should take
    local i=$1
    awk -v wall="${case_check_walls[$i]}" -v n=$((case_runs[$i] + case_warmups[$i])) \
        'BEGIN { print (wall + 0.01) * n }'
}

time_case() {  # time_case index: hyperfine, then its JSON and the last record
    local i=$1
    local id=${case_ids[$i]} status
    local raw=$run_dir/raw/$id.json record=$run_dir/records/$id.json
    local elapsed left options=()
    elapsed=$(($(date +%s) - timing_started))
    left=$(awk -v e="$elapsed" -v total="$estimate_total" -v left="$estimate_left" \
        'BEGIN { done = total - left; r = (done > 0 && e > 0) ? e / done : 1; print left * r }')
    printf 'bench: [%d/%d] %-38s elapsed %s, about %s left\n' "$timed" "$timed_total" \
        "${case_labels[$i]}" "$(format_seconds "$(($(date +%s) - started_at))")" \
        "$(format_seconds "$left")" >&2
    [ "${case_ok[$i]}" != 0 ] && options+=(--ignore-failure)
    [ "$hyperfine_no_shell" = 1 ] && options+=(-N)
    if [ "$hyperfine_output" = 1 ]; then
        options+=(--output "$record.tmp")
    else
        cp "$run_dir/records/$id.check.json" "$record.tmp"
    fi
    mapfile -t command < <(variant_command "$i")
    run_in_group "$scratch/hyperfine.out" "$scratch/hyperfine.err" "${pin_prefix[@]}" \
        hyperfine --style none --runs "${case_runs[$i]}" --warmup "${case_warmups[$i]}" \
        "${options[@]}" --export-json "$raw.tmp" \
        --command-name "${case_labels[$i]}" -- "${command[*]}"
    status=$?
    if [ $status -ne 0 ] || [ ! -s "$raw.tmp" ]; then
        rm -f -- "$raw.tmp" "$record.tmp"
        set_case_status "$i" "failed: hyperfine exit $status ($(tail -1 "$scratch/hyperfine.err" | cut -c1-150))"
        say "  ${case_status[$i]}"
        return
    fi
    local bad_exit
    bad_exit=$(jq --arg ok "${case_ok[$i]}" '[.results[0].exit_codes[] | tostring] - ($ok | split(" ")) | length' "$raw.tmp")
    mv "$raw.tmp" "$raw" && mv "$record.tmp" "$record"
    if [ "$bad_exit" != 0 ]; then
        set_case_status "$i" "failed: $bad_exit timed runs exited with a status outside ${case_ok[$i]}"
        say "  ${case_status[$i]}"
        return
    fi
    set_case_status "$i" ok
    jq -r '.results[0] | "bench:   median \(.median | . * 1000 | round / 1000) s, min \(.min | . * 1000 | round / 1000), max \(.max | . * 1000 | round / 1000)"' "$raw" >&2
}
