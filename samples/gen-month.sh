#!/usr/bin/env bash
# gen-month.sh OUTDIR [DAYS] [PAPERS]
#
# Writes DAYS (default 30) synthetic digests OUTDIR/YYYY-MM-DD-daily-papers.md,
# shaped like the reference digest of core/doc/format.md (samples/2025-11-03-daily-papers.md is one): YAML front matter,
# PAPERS (default 9) papers as `# N. [Title](https://arxiv.org/abs/ID)`, an
# Alphaxiv quote, and Introduction/Method/Results/Limitations/Conclusion
# sections in Korean prose with lines ending in two spaces (about 20 KB a file).
#
# The first day is 2025-11-01, or 2025-01-01 when DAYS > 31; later days follow
# the calendar (GNU `date -d` arithmetic, one `date` process for all days).
# Output is deterministic: the same arguments give byte-identical files.
# All text is built in a single awk pass from a fixed pool of sentences.
set -eu

prog=${0##*/}
usage() {
    echo "usage: $prog OUTDIR [DAYS] [PAPERS]" >&2
    echo "  DAYS   number of daily digests to write (default 30)" >&2
    echo "  PAPERS papers per digest (default 9, at most 999)" >&2
    exit 2
}

[ $# -ge 1 ] && [ $# -le 3 ] || usage
out=$1
days=${2:-30}
papers=${3:-9}
case $days in '' | *[!0-9]*) echo "$prog: DAYS must be a positive integer: $days" >&2; usage ;; esac
case $papers in '' | *[!0-9]*) echo "$prog: PAPERS must be a positive integer: $papers" >&2; usage ;; esac
# strip leading zeros (a leading 0 would mean octal in $(( )))
days=${days#"${days%%[!0]*}"}; days=${days:-0}
papers=${papers#"${papers%%[!0]*}"}; papers=${papers:-0}
[ "$days" -ge 1 ] || { echo "$prog: DAYS must be at least 1" >&2; exit 2; }
[ "$papers" -ge 1 ] && [ "$papers" -le 999 ] || { echo "$prog: PAPERS must be 1..999" >&2; exit 2; }

if [ "$days" -gt 31 ]; then start=2025-01-01; else start=2025-11-01; fi

mkdir -p -- "$out"

# One `date` process turns "START +i days" lines into calendar dates.
dates=$(awk -v n="$days" -v s="$start" 'BEGIN { for (i = 0; i < n; i++) print s " +" i " days" }' |
    TZ=UTC LC_ALL=C date -u -f - +%Y-%m-%d) || {
    echo "$prog: date arithmetic failed (GNU date with -d/-f is required)" >&2
    exit 1
}

printf '%s\n' "$dates" | LC_ALL=C awk -v out="$out" -v papers="$papers" '
function pick(arr, n, base, k) { return arr[((base + k) % n) + 1] }
function fill(s) {
    gsub(/%E/, (bat ? "은" : "는"), s)
    gsub(/%I/, (bat ? "이" : "가"), s)
    gsub(/%R/, (bat ? "을" : "를"), s)
    gsub(/%W/, (bat ? "과" : "와"), s)
    gsub(/%M/, model, s)
    gsub(/%T/, taskko, s)
    gsub(/%K/, nounko, s)
    gsub(/%N/, numn, s)
    gsub(/%S/, nums, s)
    gsub(/%X/, numx, s)
    gsub(/%P/, nump, s)
    return s
}
BEGIN {
    npre = split("Lumi|Vela|Orbi|Quanta|Terra|Nexa|Sora|Kairo|Fluxa|Mira|Cobalt|Zeni|Aster|Pico", pre, "|")
    nsuf = split("Former|Net|Diff|Gen|Bench|Mind|Flow|Vid|Seg|Agent|Tok|Edit|Coder|Lens", suf, "|")
    # 1 when the Korean reading of the suffix ends in a final consonant (받침)
    split("0|1|0|1|0|0|0|0|0|0|1|1|0|1", sufbat, "|")
    nadj = split("Scalable|Efficient|Robust|Unified|Sparse|Adaptive|Hierarchical|Training-Free|Self-Improving|Multilingual|Streaming|Compositional", adj, "|")
    nnoun = split("Diffusion Transformers|Reward Modeling|Token Pruning|Memory Retrieval|Preference Optimization|Contrastive Pretraining|Curriculum Learning|Speculative Decoding|Mixture-of-Experts Routing|Knowledge Distillation", nounen, "|")
    split("확산 변환기|보상 모델링|토큰 가지치기|메모리 검색|선호 최적화|대조 사전학습|커리큘럼 학습|추측 디코딩|전문가 혼합 라우팅|지식 증류", nounk, "|")
    ntask = split("Long Video Generation|Code Generation|Multilingual Speech Recognition|Document Understanding|Robotic Manipulation|Mathematical Reasoning|3D Scene Reconstruction|Text-Guided Image Editing|Medical Report Generation|Web Agents|Time-Series Forecasting|Molecular Design|Korean Question Answering", tasken, "|")
    split("장편 영상 생성|코드 생성|다국어 음성 인식|문서 이해|로봇 조작|수학적 추론|3차원 장면 복원|텍스트 기반 이미지 편집|의료 보고서 생성|웹 에이전트|시계열 예측|분자 설계|한국어 질의응답", taskk, "|")

    ngoal = split("본 연구는 %T 과제에서 정확도와 효율을 함께 개선하는 새로운 프레임워크 %M%R 제안하는 것을 목표로 한다." \
        "|본 논문의 목표는 %K 기법을 활용하여 %T 모델이 더 적은 계산 자원으로도 안정적으로 학습되도록 하는 데 있다." \
        "|본 연구는 %T 분야에서 모델의 일반화 능력을 체계적으로 측정하고 이를 개선하는 구체적인 방법을 제시하고자 한다." \
        "|본 논문은 %K 관점에서 %T 모델의 내부 표현을 분석하고, 이를 바탕으로 성능을 높이는 간단한 학습 기법을 제안한다." \
        "|본 연구의 목적은 사람의 추가 주석 없이도 %T 결과물의 품질을 꾸준히 끌어올릴 수 있는 자기 개선 학습 절차를 설계하는 것이다." \
        "|본 논문은 추론 단계의 지연 시간을 줄이면서도 %T 결과물의 품질을 유지하는 방법인 %M%R 소개한다." \
        "|본 연구는 서로 다른 모달리티의 정보를 하나의 표현 공간에서 다루어 %T 성능을 높이는 통합 모델을 구축하는 것을 목표로 한다." \
        "|본 논문의 목표는 %T 연구에서 널리 쓰이는 평가 방식의 한계를 밝히고, 보다 신뢰할 수 있는 평가 기준을 마련하는 것이다." \
        "|본 연구는 긴 입력을 다루는 %T 과제에서 메모리 사용량을 크게 줄이면서 성능은 유지하는 효율적인 구조를 제안한다." \
        "|본 논문은 소규모 모델도 대규모 모델에 가까운 %T 성능을 낼 수 있도록 하는 %K 기반 학습 전략을 탐구한다.", goal, "|")

    nmot = split("기존 방법들은 대규모 주석 데이터에 크게 의존하여 새로운 도메인으로 확장할 때마다 수집 비용이 급격히 증가하는 문제가 있었다." \
        "|기존 접근법은 여러 단계로 이루어진 파이프라인을 사용하여 단계 사이에서 오류가 누적되고 전체를 함께 최적화하기 어려웠다." \
        "|최근 모델들은 벤치마크 점수는 높지만 입력 분포가 조금만 달라져도 성능이 크게 떨어지는 취약성을 반복적으로 보여 왔다." \
        "|입력 길이가 길어질수록 어텐션 연산 비용이 제곱으로 늘어나 실제 서비스 환경에서 활용하기 어렵다는 지적이 계속되었다." \
        "|대부분의 선행 연구는 영어 데이터에 집중되어 있어 한국어를 비롯한 다른 언어에서의 성능은 충분히 검증되지 않았다." \
        "|기존 평가 지표는 사람의 선호와 상관관계가 낮아, 지표상의 개선이 실제 품질 향상으로 이어지지 않는 경우가 많았다." \
        "|강화학습 기반 미세조정은 보상 해킹과 학습 불안정성 때문에 재현이 어렵고 하이퍼파라미터에 지나치게 민감하다는 한계가 있었다." \
        "|모델 규모를 키우는 방식만으로는 추론 비용이 감당하기 어려울 만큼 커지기 때문에 효율적인 대안이 요구되었다." \
        "|공개된 데이터셋은 규모가 작거나 품질 관리가 부족하여 대형 모델을 학습하고 공정하게 비교하기에 충분하지 않았다." \
        "|생성 결과의 시간적·공간적 일관성이 떨어지는 문제는 여러 연구에서 보고되었지만 근본적인 해결책은 아직 제시되지 않았다.", mot, "|")

    ncon = split("본 연구는 %K 기법을 핵심으로 하는 %M%R 설계하고, 다양한 규모의 모델에서 일관된 성능 향상을 확인하였다." \
        "|약 %N만 개의 고품질 예제로 구성된 새로운 데이터셋을 구축하고, 이를 활용한 학습 및 평가 절차를 함께 공개하였다." \
        "|추가 학습 없이 기존 모델에 바로 적용할 수 있는 경량 모듈을 제안하여 제안 방법의 실용성을 크게 높였다." \
        "|세 가지 핵심 구성 요소의 기여를 분리해 분석하는 체계적인 절제 실험을 통해 각 설계 선택의 근거를 제시하였다." \
        "|학습 데이터와 모델 가중치, 평가 코드를 모두 공개하여 후속 연구의 재현성과 비교 가능성을 확보하였다." \
        "|%T 과제를 위한 새로운 벤치마크와 자동 평가 지표를 제안하고, 사람 평가와 높은 상관관계를 가짐을 입증하였다." \
        "|이론적 분석을 통해 제안 방법이 특정 조건에서 기존 방법보다 더 빠르게 수렴함을 보이고 이를 실험으로 확인하였다." \
        "|단일 모델로 여러 하위 과제를 처리할 수 있는 통합 학습 방식을 제안하여 과제별 모델을 따로 둘 필요를 없앴다.", con, "|")

    nmeth = split("%M%E 입력을 의미 단위의 토큰으로 분할한 뒤, 전역 문맥을 처리하는 인코더와 세부 정보를 복원하는 디코더로 구성된 이중 구조를 사용한다." \
        "|학습은 두 단계로 진행되며, 첫 단계에서는 대규모 비지도 데이터로 일반적인 표현을 익히고 두 번째 단계에서는 %T 데이터로 미세조정한다." \
        "|%K 기법을 적용하여 중요도가 낮은 토큰의 연산을 줄이고, 남은 계산 자원을 어려운 구간에 집중적으로 배분한다." \
        "|모델의 예측 불확실성을 추정하는 보조 헤드를 두어, 불확실성이 높은 샘플에 더 큰 학습 가중치를 부여한다." \
        "|시간 축의 일관성을 유지하기 위해 이전 구간의 은닉 상태를 캐시로 저장하고 다음 구간을 생성할 때 조건으로 활용한다." \
        "|교사 모델이 생성한 여러 후보 가운데 검증기를 통과한 결과만을 골라 학생 모델의 학습 데이터로 사용한다." \
        "|손실 함수는 재구성 손실과 대조 손실, 그리고 분포 정렬을 위한 정규화 항의 가중합으로 정의된다." \
        "|추론 시에는 작은 초안 모델이 여러 토큰을 먼저 제안하고, 본 모델이 이를 한 번에 검증하여 처리 속도를 높인다." \
        "|데이터 수집 단계에서는 자동 필터링과 사람 검수를 결합하여 중복 샘플과 저품질 샘플을 제거하였다." \
        "|서로 다른 모달리티의 특징을 공유 잠재 공간으로 사상하는 경량 어댑터를 삽입하여 기존 백본의 가중치는 그대로 유지한다." \
        "|보상 모델의 점수와 규칙 기반 검사 결과를 함께 사용하여 강화학습 단계에서 발생하는 보상 해킹을 억제한다." \
        "|긴 입력을 고정 길이 블록으로 나누고 블록 사이에는 요약 토큰만 주고받도록 하여 메모리 사용량을 선형 수준으로 낮춘다." \
        "|커리큘럼 학습을 도입하여 쉬운 예제에서 어려운 예제 순으로 학습 데이터를 점진적으로 구성한다." \
        "|모든 실험은 동일한 연산 예산 아래에서 수행되었으며, 기준 모델들도 같은 데이터로 다시 학습하여 공정하게 비교하였다.", meth, "|")

    nres = split("%M%E 주요 벤치마크 다섯 개 가운데 네 개에서 기존 최고 성능을 넘어섰으며, 평균 %S점의 향상을 기록하였다." \
        "|동일한 품질을 유지하면서 추론 속도를 약 %X배 높였고, 최대 메모리 사용량은 %P% 줄였다." \
        "|사람 평가에서 응답자의 다수가 기준 모델보다 %M의 결과물을 선호하였으며, 특히 세부 묘사와 일관성 항목에서 차이가 두드러졌다." \
        "|학습에 사용하지 않은 도메인에서도 성능 저하가 크지 않아 제안 방법의 일반화 능력이 확인되었다." \
        "|절제 실험 결과 %K 구성 요소를 제거하면 성능이 가장 크게 떨어져, 해당 설계가 핵심적인 역할을 함을 알 수 있었다." \
        "|모델 규모를 늘릴수록 기준 모델과의 성능 격차가 꾸준히 커져 제안 방법의 확장 가능성이 입증되었다." \
        "|소형 모델에 적용했을 때도 %P%의 상대적 오류 감소를 보여, 자원이 제한된 환경에서도 유용함이 드러났다." \
        "|한국어와 일본어를 포함한 다국어 평가에서도 영어와 비슷한 수준의 개선 폭을 보였다.", res, "|")

    nlim = split("제안 방법은 대규모 사전학습 모델을 전제로 하므로, 작은 연구실 규모의 자원으로는 전체 실험을 재현하기 어렵다." \
        "|평가가 공개 벤치마크에 한정되어 있어 실제 서비스 환경에서의 성능은 추가 검증이 필요하다." \
        "|입력 길이가 학습 때보다 크게 길어지면 성능이 점차 떨어지는 경향이 관찰되었다." \
        "|데이터셋이 특정 언어와 문화권에 치우쳐 있어 다른 환경으로 일반화하는 데에는 주의가 필요하다." \
        "|추가 모듈로 인해 학습 시간이 기준 모델 대비 약 %P% 늘어나는 부담이 있다." \
        "|자동 평가 지표에 크게 의존하고 있어, 사람 평가를 확대하여 결과를 보완할 필요가 있다." \
        "|드물게 등장하는 사례에서는 여전히 사실과 다른 결과를 생성하는 문제가 남아 있다." \
        "|하이퍼파라미터 선택에 따라 성능 편차가 커서 새로운 과제마다 별도의 조정이 요구된다.", lim, "|")

    nconc = split("%M%E %T 분야에서 효율과 성능을 동시에 개선할 수 있는 실용적인 방향을 제시하였다." \
        "|본 연구는 %K 기법이 %T 과제에서 가지는 가능성을 실증하며 후속 연구를 위한 견고한 기반을 마련하였다." \
        "|제안한 데이터셋과 평가 체계는 향후 %T 모델을 공정하게 비교하는 표준으로 활용될 수 있을 것이다." \
        "|본 논문은 단순한 설계 변경만으로도 대규모 모델의 한계를 상당 부분 극복할 수 있음을 보여 주었다." \
        "|%M%E 공개된 코드와 함께 산업 현장에서 바로 활용 가능한 수준의 성능을 보여 주었다." \
        "|본 연구의 결과는 더 긴 입력과 더 다양한 모달리티로 확장하는 후속 연구의 출발점이 될 것이다.", conc, "|")

    g = 0      # global paper counter
    d = 0      # day counter
}
{
    date = $0
    yy = substr(date, 3, 2); mm = substr(date, 6, 2); dom = substr(date, 9, 2) + 0
    file = out "/" date "-daily-papers.md"
    printf "---\nlayout: post\ntitle: \"Daily Papers — %s\"\ndate: %s 08:15:00\ntags: [papers, huggingface]\ncategories: []\n---\n\n", date, date > file
    for (k = 1; k <= papers; k++) {
        i = g % npre; j = (g * 5 + int(g / npre)) % nsuf
        model = pre[i + 1] suf[j + 1]; bat = sufbat[j + 1] + 0
        t = (g * 7 + d + 2) % ntask; taskko = taskk[t + 1]
        nn = (g * 3 + d) % nnoun; nounko = nounk[nn + 1]
        numn = 2 + (g * 5) % 48
        nums = sprintf("%d.%d", 1 + g % 4, 1 + (g * 7) % 9)
        numx = sprintf("%d.%d", 2 + g % 3, (g * 3 + 1) % 10)
        nump = 8 + (g * 11) % 35
        title = model ": " adj[(g * 3 + 1) % nadj + 1] " " nounen[nn + 1] " for " tasken[t + 1]
        idx = (dom - 1) * papers + (k - 1)
        id = sprintf("%s%s.%05d", yy, mm, (idx * 7919 + 1013) % 90000 + 10000)

        printf "\n# %d. [%s](https://arxiv.org/abs/%s)\n\n> [Alphaxiv](https://www.alphaxiv.org/ko/overview/%s)\n\n", k, title, id, id > file

        plain = (g % 6 == 3)          # unlabelled bullets, as in some real digests
        broken = (g % 5 == 2)         # one sentence per line, hard breaks between
        bg = (g * 3 + d) % ngoal; bm = (g * 7 + d * 3) % nmot; bc = (g * 5 + d) % ncon
        printf "## Introduction\n" > file
        if (plain) {
            printf "- %s  \n- %s  \n- %s  \n\n", fill(goal[bg + 1]), fill(mot[bm + 1]), fill(con[bc + 1]) > file
        } else {
            printf "- Goal: %s  \n- Motivation: %s  \n- Contribution: %s  \n\n", fill(goal[bg + 1]), fill(mot[bm + 1]), fill(con[bc + 1]) > file
        }

        b = (g * 5 + d * 2) % nmeth
        s1 = fill(pick(meth, nmeth, b, 0)); s2 = fill(pick(meth, nmeth, b, 1)); s3 = fill(pick(meth, nmeth, b, 2))
        printf "## Method  \n" > file
        if (plain) printf "- %s  \n- %s  \n- %s  \n\n", s1, s2, s3 > file
        else if (broken) printf "%s  \n%s  \n%s  \n\n", s1, s2, s3 > file
        else printf "%s %s %s  \n\n", s1, s2, s3 > file

        b = (g * 3 + d) % nres
        s1 = fill(pick(res, nres, b, 0)); s2 = fill(pick(res, nres, b, 1)); s3 = fill(pick(res, nres, b, 2))
        printf "## Results  \n" > file
        if (plain) printf "- %s %s %s  \n\n", s1, s2, s3 > file
        else printf "%s %s %s  \n\n", s1, s2, s3 > file

        b = (g * 5 + d * 3) % nlim
        s1 = fill(pick(lim, nlim, b, 0)); s2 = fill(pick(lim, nlim, b, 1))
        printf "## Limitations  \n" > file
        if (plain) printf "- %s %s  \n\n", s1, s2 > file
        else printf "%s %s  \n\n", s1, s2 > file

        b = (g + d) % nconc
        s1 = fill(pick(conc, nconc, b, 0)); s2 = fill(pick(conc, nconc, b, 1))
        printf "## Conclusion  \n" > file
        if (plain) printf "- %s %s\n", s1, s2 > file
        else printf "%s %s\n", s1, s2 > file
        g++
    }
    close(file)
    d++
}
'
