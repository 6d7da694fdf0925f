<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR">
  <context>
    <name>AlertCounts</name>
    <message>
      <source>No open alerts</source>
      <translation>열린 알림 없음</translation>
    </message>
    <message>
      <source>{n} {level}</source>
      <translation>{level} {n}건</translation>
    </message>
    <message>
      <source>{n} new</source>
      <translation>새 알림 {n}건</translation>
    </message>
    <message>
      <source>info</source>
      <translation>정보</translation>
    </message>
    <message>
      <source>warning</source>
      <translation>경고</translation>
    </message>
    <message>
      <source>error</source>
      <translation>오류</translation>
    </message>
    <message>
      <source>critical</source>
      <translation>심각</translation>
    </message>
  </context>
  <context>
    <name>AlertDetail</name>
    <message>
      <source>silenced</source>
      <translation>무음</translation>
    </message>
    <message>
      <source>Select an alert to see what happened to it.</source>
      <translation>알림을 선택하면 그 경과가 표시됩니다.</translation>
    </message>
    <message>
      <source>by {who}</source>
      <translation>처리자 {who}</translation>
    </message>
    <message>
      <source>Timeline</source>
      <translation>경과</translation>
    </message>
    <message>
      <source>Comment: {text}</source>
      <translation>메모: {text}</translation>
    </message>
  </context>
  <context>
    <name>AlertText</name>
    <message>
      <source>en</source>
      <translation>ko</translation>
    </message>
  </context>
  <context>
    <name>Alerts</name>
    <message>
      <source>Undo</source>
      <translation>실행 취소</translation>
    </message>
    <message>
      <source>Alert {id} resolved.</source>
      <translation>알림 {id} 해결됨.</translation>
    </message>
    <message>
      <source>{count} alerts resolved.</source>
      <translation>알림 {count}건 해결됨.</translation>
    </message>
    <message>
      <source>Resolve</source>
      <translation>해결</translation>
    </message>
    <message>
      <source>Acknowledge…</source>
      <translation>확인…</translation>
    </message>
    <message>
      <source>Silence…</source>
      <translation>무음…</translation>
    </message>
    <message>
      <source>Acknowledge</source>
      <translation>확인</translation>
    </message>
    <message>
      <source>Comment (optional):</source>
      <translation>메모 (선택):</translation>
    </message>
    <message>
      <source>Silenced until {time}</source>
      <translation>{time}까지 무음</translation>
    </message>
    <message>
      <source>Reopened: {ids}</source>
      <translation>다시 열림: {ids}</translation>
    </message>
    <message>
      <source>Acknowledged: {ids}</source>
      <translation>확인됨: {ids}</translation>
    </message>
    <message>
      <source>silenced</source>
      <translation>무음</translation>
    </message>
    <message>
      <source>flapping</source>
      <translation>반복 변동</translation>
    </message>
    <message>
      <source>back-filled history</source>
      <translation>과거 데이터 기록</translation>
    </message>
    <message>
      <source>Level</source>
      <translation>레벨</translation>
    </message>
    <message>
      <source>Plugin</source>
      <translation>플러그인</translation>
    </message>
    <message>
      <source>Rule</source>
      <translation>규칙</translation>
    </message>
    <message>
      <source>Message</source>
      <translation>메시지</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>상태</translation>
    </message>
    <message>
      <source>Started</source>
      <translation>시작</translation>
    </message>
    <message>
      <source>Count</source>
      <translation>횟수</translation>
    </message>
    <message>
      <source>All plugins</source>
      <translation>모든 플러그인</translation>
    </message>
    <message>
      <source>All levels</source>
      <translation>모든 레벨</translation>
    </message>
    <message>
      <source>Open</source>
      <translation>열림</translation>
    </message>
    <message>
      <source>All</source>
      <translation>전체</translation>
    </message>
    <message>
      <source>Resolved</source>
      <translation>해결됨</translation>
    </message>
    <message>
      <source>Search alerts…</source>
      <translation>알림 검색…</translation>
    </message>
    <message>
      <source>No open alerts</source>
      <translation>열린 알림 없음</translation>
    </message>
    <message>
      <source>Select alerts, then act on them (right-click for the menu).</source>
      <translation>알림을 선택한 뒤 처리하십시오 (오른쪽 클릭으로 메뉴).</translation>
    </message>
    <message>
      <source>Load more</source>
      <translation>더 보기</translation>
    </message>
    <message>
      <source>Every plugin is within its lines. An alert is raised when a plugin crosses a line set on the Settings page, and is shown here, as a toast and in the tray. To follow alerts in a terminal:</source>
      <translation>모든 플러그인이 임계값 안에 있습니다. 플러그인이 설정 페이지의 임계값을 넘으면 알림이 발생하고, 여기와 토스트, 트레이에 표시됩니다. 터미널에서 알림을 따라 보려면:</translation>
    </message>
    <message>
      <source>Choose All to see resolved alerts too.</source>
      <translation>해결된 알림도 보려면 '전체'를 선택하세요.</translation>
    </message>
    <message>
      <source>Alerts</source>
      <translation>알림</translation>
    </message>
    <message>
      <source>No alert matches these filters</source>
      <translation>이 필터에 맞는 알림 없음</translation>
    </message>
    <message>
      <source>info</source>
      <translation>정보</translation>
    </message>
    <message>
      <source>warning</source>
      <translation>경고</translation>
    </message>
    <message>
      <source>error</source>
      <translation>오류</translation>
    </message>
    <message>
      <source>critical</source>
      <translation>심각</translation>
    </message>
    <message>
      <source>active</source>
      <translation>활성</translation>
    </message>
    <message>
      <source>acknowledged</source>
      <translation>확인됨</translation>
    </message>
    <message>
      <source>resolved</source>
      <translation>해결됨</translation>
    </message>
  </context>
  <context>
    <name>Analytics</name>
    <message>
      <source>about {n} days</source>
      <translation>약 {n}일</translation>
    </message>
    <message>
      <source>{title} reaches {line} in {duration}</source>
      <translation>{title}: {duration} 후 {line} 도달 예상</translation>
    </message>
    <message>
      <source>Compare…</source>
      <translation>비교…</translation>
    </message>
    <message>
      <source>Draw this metric of up to 5 plugins on one chart</source>
      <translation>이 지표를 최대 5개 플러그인까지 한 차트에 그립니다</translation>
    </message>
    <message>
      <source>Refresh</source>
      <translation>새로 고침</translation>
    </message>
    <message>
      <source>Save chart as PNG…</source>
      <translation>차트를 PNG로 저장…</translation>
    </message>
    <message>
      <source>Save chart as</source>
      <translation>차트 저장 위치</translation>
    </message>
    <message>
      <source>about {n} min</source>
      <translation>약 {n}분</translation>
    </message>
    <message>
      <source>about {n} h</source>
      <translation>약 {n}시간</translation>
    </message>
    <message>
      <source>{title} is at its line of {line}</source>
      <translation>{title}: 이미 임계값 {line}에 도달</translation>
    </message>
    <message>
      <source>Plugin</source>
      <translation>플러그인</translation>
    </message>
    <message>
      <source>Window</source>
      <translation>기간</translation>
    </message>
    <message>
      <source>Metric</source>
      <translation>메트릭</translation>
    </message>
    <message>
      <source>No threshold is forecast to be crossed.</source>
      <translation>임계값을 넘을 것으로 예측되는 메트릭이 없습니다.</translation>
    </message>
    <message>
      <source>Not enough data for a trend</source>
      <translation>트렌드를 계산할 데이터가 부족합니다</translation>
    </message>
    <message>
      <source>Average {metric} by weekday and hour ({zone})</source>
      <translation>요일·시간대별 평균 {metric} ({zone})</translation>
    </message>
    <message>
      <source>Analytics</source>
      <translation>분석</translation>
    </message>
    <message>
      <source>Analytics failed: {message}</source>
      <translation>분석 실패: {message}</translation>
    </message>
    <message>
      <source>Chart saved to {path}</source>
      <translation>차트를 {path}에 저장했습니다</translation>
    </message>
    <message>
      <source>Could not save the chart to {path}</source>
      <translation>차트를 {path}에 저장할 수 없습니다</translation>
    </message>
    <message>
      <source>Average</source>
      <translation>평균</translation>
    </message>
    <message>
      <source>Minimum</source>
      <translation>최소</translation>
    </message>
    <message>
      <source>Maximum</source>
      <translation>최대</translation>
    </message>
    <message>
      <source>Current</source>
      <translation>현재</translation>
    </message>
    <message>
      <source>Trend</source>
      <translation>트렌드</translation>
    </message>
    <message>
      <source>up</source>
      <translation>상승</translation>
    </message>
    <message>
      <source>down</source>
      <translation>하락</translation>
    </message>
    <message>
      <source>stable</source>
      <translation>안정</translation>
    </message>
    <message>
      <source>strong</source>
      <translation>강함</translation>
    </message>
    <message>
      <source>moderate</source>
      <translation>보통</translation>
    </message>
    <message>
      <source>weak</source>
      <translation>약함</translation>
    </message>
    <message>
      <source>Mon</source>
      <translation>월</translation>
    </message>
    <message>
      <source>Tue</source>
      <translation>화</translation>
    </message>
    <message>
      <source>Wed</source>
      <translation>수</translation>
    </message>
    <message>
      <source>Thu</source>
      <translation>목</translation>
    </message>
    <message>
      <source>Fri</source>
      <translation>금</translation>
    </message>
    <message>
      <source>Sat</source>
      <translation>토</translation>
    </message>
    <message>
      <source>Sun</source>
      <translation>일</translation>
    </message>
    <message>
      <source>CPU usage</source>
      <translation>CPU 사용률</translation>
    </message>
    <message>
      <source>Memory usage</source>
      <translation>메모리 사용률</translation>
    </message>
    <message>
      <source>Memory RSS</source>
      <translation>메모리 RSS</translation>
    </message>
    <message>
      <source>Memory VMS</source>
      <translation>메모리 VMS</translation>
    </message>
    <message>
      <source>Response time</source>
      <translation>응답 시간</translation>
    </message>
    <message>
      <source>Errors</source>
      <translation>에러 수</translation>
    </message>
    <message>
      <source>Requests</source>
      <translation>요청 수</translation>
    </message>
    <message>
      <source>Active connections</source>
      <translation>활성 연결</translation>
    </message>
    <message>
      <source>Total connections</source>
      <translation>총 연결</translation>
    </message>
    <message>
      <source>Threads</source>
      <translation>스레드</translation>
    </message>
    <message>
      <source>Disk read</source>
      <translation>디스크 읽기</translation>
    </message>
    <message>
      <source>Disk written</source>
      <translation>디스크 쓰기</translation>
    </message>
    <message>
      <source>Network received</source>
      <translation>네트워크 수신</translation>
    </message>
    <message>
      <source>Network sent</source>
      <translation>네트워크 송신</translation>
    </message>
    <message>
      <source>Error rate</source>
      <translation>에러율</translation>
    </message>
    <message>
      <source>Throughput</source>
      <translation>처리량</translation>
    </message>
    <message>
      <source>Load average (1 min)</source>
      <translation>부하 평균(1분)</translation>
    </message>
    <message>
      <source>Swap usage</source>
      <translation>스왑 사용률</translation>
    </message>
    <message>
      <source>Data disk used</source>
      <translation>데이터 디스크 사용률</translation>
    </message>
    <message>
      <source>Unexpected exits</source>
      <translation>예기치 않은 종료</translation>
    </message>
    <message>
      <source>Crash loop</source>
      <translation>크래시 루프</translation>
    </message>
    <message>
      <source>Restarts</source>
      <translation>재시작</translation>
    </message>
    <message>
      <source>Uptime</source>
      <translation>가동 시간</translation>
    </message>
    <message>
      <source>Memory limit</source>
      <translation>메모리 한도</translation>
    </message>
    <message>
      <source>CPU limit</source>
      <translation>CPU 한도</translation>
    </message>
    <message>
      <source>Plugin installs</source>
      <translation>플러그인 설치</translation>
    </message>
    <message>
      <source>Collect failures</source>
      <translation>수집 실패</translation>
    </message>
    <message>
      <source>requests/s</source>
      <translation>요청/s</translation>
    </message>
  </context>
  <context>
    <name>Audit</name>
    <message>
      <source>Every action</source>
      <translation>모든 작업</translation>
    </message>
    <message>
      <source>Settings and thresholds</source>
      <translation>설정과 임계값</translation>
    </message>
    <message>
      <source>API keys</source>
      <translation>API 키</translation>
    </message>
    <message>
      <source>Plugins</source>
      <translation>플러그인</translation>
    </message>
    <message>
      <source>Alerts</source>
      <translation>알림</translation>
    </message>
    <message>
      <source>Silences</source>
      <translation>무음</translation>
    </message>
    <message>
      <source>Webhooks</source>
      <translation>웹훅</translation>
    </message>
    <message>
      <source>Backups</source>
      <translation>백업</translation>
    </message>
    <message>
      <source>Refused attempts and lockouts</source>
      <translation>거부된 시도와 차단</translation>
    </message>
    <message>
      <source>Every change made here, on the command line or through the API, newest first. Changes through the API name the key and the address they came from. The trail is also kept in logs/audit.log.</source>
      <translation>여기서, 명령줄에서 또는 API로 한 모든 변경을 최신순으로 보여 줍니다. API로 한 변경에는 사용한 키와 보낸 주소가 기록됩니다. 감사 기록은 logs/audit.log에도 보관됩니다.</translation>
    </message>
    <message>
      <source>who: a name, key 4, an address</source>
      <translation>누가: 이름, key 4, 주소</translation>
    </message>
    <message>
      <source>Refresh</source>
      <translation>새로 고침</translation>
    </message>
    <message>
      <source>Show</source>
      <translation>보기</translation>
    </message>
    <message>
      <source>Audit trail</source>
      <translation>감사 기록</translation>
    </message>
    <message>
      <source>Time</source>
      <translation>시각</translation>
    </message>
    <message>
      <source>Who</source>
      <translation>누가</translation>
    </message>
    <message>
      <source>Action</source>
      <translation>작업</translation>
    </message>
    <message>
      <source>Target</source>
      <translation>대상</translation>
    </message>
    <message>
      <source>Change</source>
      <translation>변경</translation>
    </message>
  </context>
  <context>
    <name>Compare</name>
    <message>
      <source>Compare plugins</source>
      <translation>플러그인 비교</translation>
    </message>
    <message>
      <source>Draw the same metric of these plugins:</source>
      <translation>다음 플러그인의 같은 지표를 함께 그립니다:</translation>
    </message>
    <message>
      <source>At most {n} plugins can be compared.</source>
      <translation>최대 {n}개 플러그인까지 비교할 수 있습니다.</translation>
    </message>
    <message>
      <source>{count} of at most {n} chosen</source>
      <translation>{count}개 선택 (최대 {n}개)</translation>
    </message>
  </context>
  <context>
    <name>Dashboard</name>
    <message>
      <source>disabled</source>
      <translation>비활성</translation>
    </message>
    <message>
      <source>Start monitoring</source>
      <translation>모니터링 시작</translation>
    </message>
    <message>
      <source>No plugin reports yet</source>
      <translation>아직 보고하는 플러그인이 없습니다</translation>
    </message>
    <message>
      <source>Plugins push their metrics to this console's API, and plugin folders with a plugin.toml are found at start. To try it, create a key and push a first sample:</source>
      <translation>플러그인은 이 콘솔의 API로 지표를 보내고, plugin.toml이 있는 플러그인 폴더는 시작할 때 발견됩니다. 시험해 보려면 키를 만들고 첫 샘플을 보내세요:</translation>
    </message>
    <message>
      <source>Stop monitoring</source>
      <translation>모니터링 중지</translation>
    </message>
    <message>
      <source>This console runs without its API, so plugins cannot push metrics. Put plugin folders with a plugin.toml in the plugins folder, or start the console with its API.</source>
      <translation>이 콘솔은 API 없이 실행 중이라 플러그인이 지표를 보낼 수 없습니다. plugin.toml이 있는 플러그인 폴더를 plugins 폴더에 두거나, API와 함께 콘솔을 시작하세요.</translation>
    </message>
    <message>
      <source>CPU</source>
      <translation>CPU</translation>
    </message>
    <message>
      <source>Memory</source>
      <translation>메모리</translation>
    </message>
    <message>
      <source>Response</source>
      <translation>응답</translation>
    </message>
    <message>
      <source>Errors</source>
      <translation>에러</translation>
    </message>
    <message>
      <source>process not found</source>
      <translation>프로세스 없음</translation>
    </message>
    <message>
      <source>Last sample {time}</source>
      <translation>마지막 샘플 {time}</translation>
    </message>
    <message>
      <source>Dashboard</source>
      <translation>대시보드</translation>
    </message>
    <message>
      <source>no data since {time}</source>
      <translation>{time} 이후 데이터 없음</translation>
    </message>
    <message>
      <source>Host CPU</source>
      <translation>호스트 CPU</translation>
    </message>
    <message>
      <source>Host memory</source>
      <translation>호스트 메모리</translation>
    </message>
    <message>
      <source>Host disk I/O</source>
      <translation>호스트 디스크 I/O</translation>
    </message>
    <message>
      <source>Host network</source>
      <translation>호스트 네트워크</translation>
    </message>
    <message>
      <source>info</source>
      <translation>정보</translation>
    </message>
    <message>
      <source>warning</source>
      <translation>경고</translation>
    </message>
    <message>
      <source>error</source>
      <translation>오류</translation>
    </message>
    <message>
      <source>critical</source>
      <translation>심각</translation>
    </message>
    <message>
      <source>ok</source>
      <translation>정상</translation>
    </message>
  </context>
  <context>
    <name>EmptyState</name>
    <message>
      <source>Copy commands</source>
      <translation>명령 복사</translation>
    </message>
    <message>
      <source>Copied</source>
      <translation>복사됨</translation>
    </message>
  </context>
  <context>
    <name>Export</name>
    <message>
      <source>Export samples</source>
      <translation>샘플 내보내기</translation>
    </message>
    <message>
      <source>Export</source>
      <translation>내보내기</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>취소</translation>
    </message>
    <message>
      <source>Plugins</source>
      <translation>플러그인</translation>
    </message>
    <message>
      <source>Window</source>
      <translation>기간</translation>
    </message>
    <message>
      <source>Raw samples</source>
      <translation>원시 샘플</translation>
    </message>
    <message>
      <source>Analytics summary</source>
      <translation>분석 요약</translation>
    </message>
    <message>
      <source>Content</source>
      <translation>내용</translation>
    </message>
    <message>
      <source>Format</source>
      <translation>형식</translation>
    </message>
    <message>
      <source>Choose…</source>
      <translation>선택…</translation>
    </message>
    <message>
      <source>File</source>
      <translation>파일</translation>
    </message>
    <message>
      <source>Export to</source>
      <translation>내보낼 위치</translation>
    </message>
    <message>
      <source>Exporting…</source>
      <translation>내보내는 중…</translation>
    </message>
    <message>
      <source>Choose at least one plugin.</source>
      <translation>플러그인을 하나 이상 선택하세요.</translation>
    </message>
    <message>
      <source>Wrote {rows} rows to {path}</source>
      <translation>{path}에 {rows}행을 썼습니다</translation>
    </message>
  </context>
  <context>
    <name>Help</name>
    <message>
      <source>Data folder</source>
      <translation>데이터 폴더</translation>
    </message>
    <message>
      <source>&amp;File</source>
      <translation>파일(&amp;F)</translation>
    </message>
    <message>
      <source>&amp;Connect to monitor…</source>
      <translation>모니터에 연결(&amp;C)…</translation>
    </message>
    <message>
      <source>&amp;Export samples…</source>
      <translation>샘플 내보내기(&amp;E)…</translation>
    </message>
    <message>
      <source>&amp;Back up now</source>
      <translation>지금 백업(&amp;B)</translation>
    </message>
    <message>
      <source>&amp;Restore from backup…</source>
      <translation>백업에서 복원(&amp;R)…</translation>
    </message>
    <message>
      <source>&amp;Quit</source>
      <translation>종료(&amp;Q)</translation>
    </message>
    <message>
      <source>&amp;Help</source>
      <translation>도움말(&amp;H)</translation>
    </message>
    <message>
      <source>&amp;Documentation</source>
      <translation>문서(&amp;D)</translation>
    </message>
    <message>
      <source>&amp;Keyboard shortcuts</source>
      <translation>단축키(&amp;K)</translation>
    </message>
    <message>
      <source>Run the &amp;daily checks</source>
      <translation>일일 점검 실행(&amp;D)</translation>
    </message>
    <message>
      <source>&amp;About Plugin Monitor</source>
      <translation>Plugin Monitor 정보(&amp;A)</translation>
    </message>
    <message>
      <source>Install plugin &amp;folder…</source>
      <translation>플러그인 폴더 설치(&amp;F)…</translation>
    </message>
    <message>
      <source>Install plugin &amp;archive…</source>
      <translation>플러그인 압축 파일 설치(&amp;A)…</translation>
    </message>
    <message>
      <source>Keyboard shortcuts</source>
      <translation>단축키</translation>
    </message>
    <message>
      <source>About Plugin Monitor</source>
      <translation>Plugin Monitor 정보</translation>
    </message>
    <message>
      <source>not open yet</source>
      <translation>아직 열리지 않음</translation>
    </message>
  </context>
  <context>
    <name>Keys</name>
    <message>
      <source>all</source>
      <translation>전체</translation>
    </message>
    <message>
      <source>pushes only</source>
      <translation>전송 전용</translation>
    </message>
    <message>
      <source>Create an API key</source>
      <translation>API 키 만들기</translation>
    </message>
    <message>
      <source>who or what uses it, e.g. billing plugin</source>
      <translation>사용하는 주체, 예: billing 플러그인</translation>
    </message>
    <message>
      <source>Only pushes metrics and registers plugins</source>
      <translation>메트릭 전송과 플러그인 등록만 허용</translation>
    </message>
    <message>
      <source>For a plugin: it gets the higher ingest rate allowance and the operator role</source>
      <translation>플러그인용: 더 높은 전송 허용량과 operator 역할을 받습니다</translation>
    </message>
    <message>
      <source>any plugin; or a pattern such as web*</source>
      <translation>모든 플러그인, 또는 web* 같은 패턴</translation>
    </message>
    <message>
      <source>no expiry</source>
      <translation>만료 없음</translation>
    </message>
    <message>
      <source> days</source>
      <translation>일</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>이름</translation>
    </message>
    <message>
      <source>Role</source>
      <translation>역할</translation>
    </message>
    <message>
      <source>Plugins</source>
      <translation>플러그인</translation>
    </message>
    <message>
      <source>Expires after</source>
      <translation>만료까지</translation>
    </message>
    <message>
      <source>API key created</source>
      <translation>API 키가 만들어졌습니다</translation>
    </message>
    <message>
      <source>Copy</source>
      <translation>복사</translation>
    </message>
    <message>
      <source>Close</source>
      <translation>닫기</translation>
    </message>
    <message>
      <source>Plugins and scripts send a key as 'Authorization: Bearer &lt;key&gt;'. Viewers read, operators also push metrics and act on alerts, admins also manage keys, settings and webhooks.</source>
      <translation>플러그인과 스크립트는 키를 'Authorization: Bearer &lt;key&gt;'로 보냅니다. viewer는 읽기, operator는 메트릭 전송과 알림 처리도, admin은 키·설정·웹훅 관리도 할 수 있습니다.</translation>
    </message>
    <message>
      <source>Create…</source>
      <translation>만들기…</translation>
    </message>
    <message>
      <source>Revoke</source>
      <translation>폐기</translation>
    </message>
    <message>
      <source>Revoke the key?</source>
      <translation>키를 폐기할까요?</translation>
    </message>
    <message>
      <source>never</source>
      <translation>사용 안 함</translation>
    </message>
    <message>
      <source>Key {id} ({name}) stops working within 2 seconds.</source>
      <translation>키 {id}({name})는 2초 안에 사용할 수 없게 됩니다.</translation>
    </message>
    <message>
      <source>Key {id} revoked</source>
      <translation>키 {id} 폐기됨</translation>
    </message>
    <message>
      <source>Key {id} ({role}; {scope}; expires {expires}). This is the only time it is shown; keep it safe:</source>
      <translation>키 {id} ({role}; {scope}; 만료 {expires}). 이번 한 번만 표시되니 안전하게 보관하세요:</translation>
    </message>
    <message>
      <source>API keys</source>
      <translation>API 키</translation>
    </message>
    <message>
      <source>Id</source>
      <translation>ID</translation>
    </message>
    <message>
      <source>Scope</source>
      <translation>범위</translation>
    </message>
    <message>
      <source>Created</source>
      <translation>생성</translation>
    </message>
    <message>
      <source>Expires</source>
      <translation>만료</translation>
    </message>
    <message>
      <source>Last used</source>
      <translation>마지막 사용</translation>
    </message>
    <message>
      <source>From</source>
      <translation>사용 위치</translation>
    </message>
    <message>
      <source>viewer</source>
      <translation>viewer</translation>
    </message>
    <message>
      <source>operator</source>
      <translation>operator</translation>
    </message>
    <message>
      <source>admin</source>
      <translation>admin</translation>
    </message>
  </context>
  <context>
    <name>MainWindow</name>
    <message>
      <source>Dashboard</source>
      <translation>대시보드</translation>
    </message>
    <message>
      <source>Plugins</source>
      <translation>플러그인</translation>
    </message>
    <message>
      <source>Analytics</source>
      <translation>분석</translation>
    </message>
    <message>
      <source>Alerts</source>
      <translation>알림</translation>
    </message>
    <message>
      <source>Settings</source>
      <translation>설정</translation>
    </message>
    <message>
      <source>API keys</source>
      <translation>API 키</translation>
    </message>
    <message>
      <source>Audit</source>
      <translation>감사</translation>
    </message>
    <message>
      <source>Tray notifications unavailable</source>
      <translation>트레이 알림을 사용할 수 없음</translation>
    </message>
    <message>
      <source>Still monitoring in the tray</source>
      <translation>트레이에서 계속 모니터링 중</translation>
    </message>
    <message>
      <source>Tray messages unavailable</source>
      <translation>트레이 메시지를 사용할 수 없음</translation>
    </message>
    <message>
      <source>The data was replaced ({reason}); every view shows it afresh</source>
      <translation>데이터가 교체되었습니다({reason}). 모든 화면이 새 데이터를 다시 읽었습니다</translation>
    </message>
    <message>
      <source>Secrets are kept in files in the data folder (owner only), not in an OS keyring: install and unlock one (e.g. gnome-keyring) to keep them there.</source>
      <translation>비밀 정보는 OS 키링이 아닌 데이터 폴더의 파일(소유자 전용)에 보관됩니다. 키링(예: gnome-keyring)을 설치하고 잠금 해제하면 그곳에 보관합니다.</translation>
    </message>
    <message>
      <source>Starting…</source>
      <translation>시작하는 중…</translation>
    </message>
    <message>
      <source>Health unknown</source>
      <translation>상태 알 수 없음</translation>
    </message>
    <message>
      <source>Monitoring off</source>
      <translation>모니터링 꺼짐</translation>
    </message>
    <message>
      <source>PostgreSQL: no answer</source>
      <translation>PostgreSQL: 응답 없음</translation>
    </message>
    <message>
      <source>Healthy</source>
      <translation>정상</translation>
    </message>
    <message>
      <source>Backups by PostgreSQL's tools</source>
      <translation>백업은 PostgreSQL 도구로</translation>
    </message>
    <message>
      <source>API {scheme}://{host}:{port}</source>
      <translation>API {scheme}://{host}:{port}</translation>
    </message>
    <message>
      <source>1 problem</source>
      <translation>문제 1건</translation>
    </message>
    <message>
      <source>No backup yet</source>
      <translation>백업 없음</translation>
    </message>
    <message>
      <source>Monitoring on (every {s:g} s)</source>
      <translation>모니터링 켜짐 ({s:g}초마다)</translation>
    </message>
    <message>
      <source>Last sample {time}</source>
      <translation>마지막 샘플 {time}</translation>
    </message>
    <message>
      <source>PostgreSQL {mb:.1f} MB</source>
      <translation>PostgreSQL {mb:.1f} MB</translation>
    </message>
    <message>
      <source>Database {mb:.1f} MB</source>
      <translation>데이터베이스 {mb:.1f} MB</translation>
    </message>
    <message>
      <source>{n} problems</source>
      <translation>문제 {n}건</translation>
    </message>
    <message>
      <source>Backup {hours:.1f} h ago</source>
      <translation>백업 {hours:.1f}시간 전</translation>
    </message>
  </context>
  <context>
    <name>Operations</name>
    <message>
      <source>All well.</source>
      <translation>모두 정상입니다.</translation>
    </message>
    <message>
      <source>Something needs attention.</source>
      <translation>확인이 필요한 항목이 있습니다.</translation>
    </message>
    <message>
      <source>Backing up the database and the settings…</source>
      <translation>데이터베이스와 설정을 백업하는 중…</translation>
    </message>
    <message>
      <source>Back up now</source>
      <translation>지금 백업</translation>
    </message>
    <message>
      <source>Database damaged</source>
      <translation>데이터베이스 손상</translation>
    </message>
    <message>
      <source>&amp;Restore from backup…</source>
      <translation>백업에서 복원(&amp;R)…</translation>
    </message>
    <message>
      <source>Later</source>
      <translation>나중에</translation>
    </message>
    <message>
      <source>Daily checks</source>
      <translation>일일 점검</translation>
    </message>
    <message>
      <source>Install a plugin archive</source>
      <translation>플러그인 압축 파일 설치</translation>
    </message>
    <message>
      <source>Plugin archives (*.tar.gz *.tgz)</source>
      <translation>플러그인 압축 파일 (*.tar.gz *.tgz)</translation>
    </message>
    <message>
      <source>Install a plugin folder</source>
      <translation>플러그인 폴더 설치</translation>
    </message>
    <message>
      <source>Plugin not installed</source>
      <translation>플러그인을 설치하지 않음</translation>
    </message>
    <message>
      <source>Plugin {key} installed: {state}</source>
      <translation>플러그인 {key} 설치됨: {state}</translation>
    </message>
    <message>
      <source>Backed up to {path} ({size:.1f} MiB)</source>
      <translation>{path}에 백업함 ({size:.1f} MiB)</translation>
    </message>
    <message>
      <source>Backup failed</source>
      <translation>백업 실패</translation>
    </message>
    <message>
      <source>ok</source>
      <translation>정상</translation>
    </message>
    <message>
      <source>needs attention</source>
      <translation>확인 필요</translation>
    </message>
  </context>
  <context>
    <name>PluginLog</name>
    <message>
      <source>Nothing logged yet</source>
      <translation>아직 기록된 내용이 없습니다</translation>
    </message>
    <message>
      <source>Log of {plugin}</source>
      <translation>{plugin} 로그</translation>
    </message>
  </context>
  <context>
    <name>Plugins</name>
    <message>
      <source>Log…</source>
      <translation>로그…</translation>
    </message>
    <message>
      <source>Stop all…</source>
      <translation>모두 중지…</translation>
    </message>
    <message>
      <source>Stop all plugins</source>
      <translation>모든 플러그인 중지</translation>
    </message>
    <message>
      <source>Stop every plugin Plugin Monitor runs? They stay stopped until you start them.</source>
      <translation>Plugin Monitor가 실행하는 모든 플러그인을 중지할까요? 다시 시작할 때까지 중지된 상태로 남습니다.</translation>
    </message>
    <message>
      <source>Plugin logs are on the monitor's machine</source>
      <translation>플러그인 로그는 그 모니터의 컴퓨터에 있습니다</translation>
    </message>
    <message>
      <source>Plugin {key}: {state}</source>
      <translation>플러그인 {key}: {state}</translation>
    </message>
    <message>
      <source>{count} plugin(s) stopped</source>
      <translation>플러그인 {count}개 중지됨</translation>
    </message>
    <message>
      <source>Start</source>
      <translation>시작</translation>
    </message>
    <message>
      <source>Stop</source>
      <translation>중지</translation>
    </message>
    <message>
      <source>Restart</source>
      <translation>재시작</translation>
    </message>
    <message>
      <source>Enable</source>
      <translation>활성화</translation>
    </message>
    <message>
      <source>Disable</source>
      <translation>비활성화</translation>
    </message>
    <message>
      <source>running</source>
      <translation>실행 중</translation>
    </message>
    <message>
      <source>starting</source>
      <translation>시작 중</translation>
    </message>
    <message>
      <source>stopped</source>
      <translation>중지됨</translation>
    </message>
    <message>
      <source>crashed</source>
      <translation>비정상 종료</translation>
    </message>
    <message>
      <source>crash loop</source>
      <translation>크래시 루프</translation>
    </message>
    <message>
      <source>disabled</source>
      <translation>비활성</translation>
    </message>
    <message>
      <source>not started here</source>
      <translation>외부 실행</translation>
    </message>
    <message>
      <source>invalid manifest</source>
      <translation>잘못된 매니페스트</translation>
    </message>
    <message>
      <source>folder removed</source>
      <translation>폴더 삭제됨</translation>
    </message>
    <message>
      <source>Filter plugins…</source>
      <translation>플러그인 필터…</translation>
    </message>
    <message>
      <source>Register…</source>
      <translation>등록…</translation>
    </message>
    <message>
      <source>Select a plugin to see its history</source>
      <translation>기록을 보려면 플러그인을 선택하세요</translation>
    </message>
    <message>
      <source>Register a plugin</source>
      <translation>플러그인 등록</translation>
    </message>
    <message>
      <source>Plugin id:</source>
      <translation>플러그인 ID:</translation>
    </message>
    <message>
      <source>Name:</source>
      <translation>이름:</translation>
    </message>
    <message>
      <source>this machine</source>
      <translation>이 컴퓨터</translation>
    </message>
    <message>
      <source>CPU</source>
      <translation>CPU</translation>
    </message>
    <message>
      <source>Memory</source>
      <translation>메모리</translation>
    </message>
    <message>
      <source>Response time</source>
      <translation>응답 시간</translation>
    </message>
    <message>
      <source>Plugins</source>
      <translation>플러그인</translation>
    </message>
    <message>
      <source>Plugin {key} registered</source>
      <translation>플러그인 {key} 등록됨</translation>
    </message>
    <message>
      <source>Invalid manifest, not started: {reason}</source>
      <translation>잘못된 매니페스트로 시작하지 않음: {reason}</translation>
    </message>
    <message>
      <source>Plugin</source>
      <translation>플러그인</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>이름</translation>
    </message>
    <message>
      <source>State</source>
      <translation>상태</translation>
    </message>
    <message>
      <source>CPU %</source>
      <translation>CPU %</translation>
    </message>
    <message>
      <source>Memory %</source>
      <translation>메모리 %</translation>
    </message>
    <message>
      <source>Response s</source>
      <translation>응답(초)</translation>
    </message>
    <message>
      <source>Error %</source>
      <translation>에러율 %</translation>
    </message>
    <message>
      <source>Last seen</source>
      <translation>마지막 수신</translation>
    </message>
    <message>
      <source>Process</source>
      <translation>프로세스</translation>
    </message>
    <message>
      <source>Host</source>
      <translation>호스트</translation>
    </message>
    <message>
      <source>info</source>
      <translation>정보</translation>
    </message>
    <message>
      <source>warning</source>
      <translation>경고</translation>
    </message>
    <message>
      <source>error</source>
      <translation>오류</translation>
    </message>
    <message>
      <source>critical</source>
      <translation>심각</translation>
    </message>
    <message>
      <source>ok</source>
      <translation>정상</translation>
    </message>
  </context>
  <context>
    <name>RemoteConsole</name>
    <message>
      <source>Collection is paused and resumed on the monitor's machine (plugin-monitor)</source>
      <translation>수집 일시 중지와 재개는 그 모니터의 컴퓨터에서 합니다 (plugin-monitor)</translation>
    </message>
    <message>
      <source>API keys</source>
      <translation>API 키</translation>
    </message>
    <message>
      <source>On the monitor's machine</source>
      <translation>그 모니터의 컴퓨터에서</translation>
    </message>
    <message>
      <source>Connect to monitor</source>
      <translation>모니터에 연결</translation>
    </message>
    <message>
      <source>an API key of that monitor (plugin-monitor keys create)</source>
      <translation>그 모니터의 API 키 (plugin-monitor keys create)</translation>
    </message>
    <message>
      <source>Remember the key in the secret store</source>
      <translation>키를 비밀 저장소에 기억</translation>
    </message>
    <message>
      <source>Connect</source>
      <translation>연결</translation>
    </message>
    <message>
      <source>Monitor URL:</source>
      <translation>모니터 URL:</translation>
    </message>
    <message>
      <source>API key:</source>
      <translation>API 키:</translation>
    </message>
    <message>
      <source>API keys are made and revoked on the monitor's own machine. For the monitor at {name}, run these there:</source>
      <translation>API 키는 그 모니터의 컴퓨터에서만 만들고 폐기합니다. {name}의 모니터는 그 컴퓨터에서 다음을 실행하세요:</translation>
    </message>
    <message>
      <source>The key this console connected with has the {role} role; {page} of the monitor at {name} needs an admin key. Make one on its machine, then connect again with it:</source>
      <translation>이 콘솔이 연결한 키의 역할은 {role}입니다. {name} 모니터의 {page}에는 admin 키가 필요합니다. 그 컴퓨터에서 키를 만든 뒤 그 키로 다시 연결하세요:</translation>
    </message>
    <message>
      <source>{page} of {name}</source>
      <translation>{name}의 {page}</translation>
    </message>
    <message>
      <source>Give the monitor's URL and a key.</source>
      <translation>모니터의 URL과 키를 입력하세요.</translation>
    </message>
    <message>
      <source>Settings</source>
      <translation>설정</translation>
    </message>
    <message>
      <source>Audit</source>
      <translation>감사 기록</translation>
    </message>
    <message>
      <source>Key role: {role}</source>
      <translation>키 역할: {role}</translation>
    </message>
    <message>
      <source>“{action}” works on files of the monitor's own machine. For the monitor at {name}, do it there (the commands are below, under Show Details).</source>
      <translation>“{action}”은(는) 그 모니터 컴퓨터의 파일에 작용합니다. {name}의 모니터는 그 컴퓨터에서 하세요 (명령은 아래 ‘자세히 보기’에 있습니다).</translation>
    </message>
    <message>
      <source>Connected to {name}</source>
      <translation>{name}에 연결됨</translation>
    </message>
    <message>
      <source>Not connected: {problem}</source>
      <translation>연결 안 됨: {problem}</translation>
    </message>
  </context>
  <context>
    <name>RestoreDialog</name>
    <message>
      <source>{hours:.1f} h</source>
      <translation>{hours:.1f}시간</translation>
    </message>
    <message>
      <source>Restore from backup</source>
      <translation>백업에서 복원</translation>
    </message>
    <message>
      <source>Each backup passed an integrity check when it was taken. Restoring replaces the monitor's data with the backup's while it runs; the data stored since is kept aside in the data folder, not deleted, and key revocations made since stay in force.</source>
      <translation>모든 백업은 만들 때 무결성 검사를 통과했습니다. 복원하면 모니터가 실행 중인 채로 데이터를 백업의 데이터로 바꿉니다. 그 뒤에 저장된 데이터는 삭제되지 않고 데이터 폴더에 따로 보관되며, 그 뒤에 폐기한 API 키는 계속 폐기된 상태로 남습니다.</translation>
    </message>
    <message>
      <source>&amp;Restore…</source>
      <translation>복원(&amp;R)…</translation>
    </message>
    <message>
      <source>Restore failed</source>
      <translation>복원 실패</translation>
    </message>
    <message>
      <source>encrypted</source>
      <translation>암호화됨</translation>
    </message>
    <message>
      <source>archive</source>
      <translation>압축 파일</translation>
    </message>
    <message>
      <source>Restore the backup taken {taken}?

The {hours} of data stored since then leave the console's views; they are kept aside in the data folder.</source>
      <translation>{taken}에 만든 백업을 복원할까요?

그 뒤에 저장된 {hours} 분량의 데이터는 콘솔 화면에서 사라지며, 데이터 폴더에 따로 보관됩니다.</translation>
    </message>
    <message>
      <source>Restoring {name}…</source>
      <translation>{name} 복원 중…</translation>
    </message>
    <message>
      <source>{size:.1f} MiB</source>
      <translation>{size:.1f} MiB</translation>
    </message>
    <message>
      <source>the {age} since it was taken</source>
      <translation>백업 이후 {age}</translation>
    </message>
    <message>
      <source>No backups in {folder} yet: File → Back up now makes one.</source>
      <translation>{folder}에 아직 백업이 없습니다. 파일 → 지금 백업으로 만드세요.</translation>
    </message>
    <message>
      <source>Restored {name}; the data it replaced is kept as {aside}</source>
      <translation>{name}을(를) 복원했습니다. 교체된 데이터는 {aside}(으)로 보관됩니다</translation>
    </message>
    <message>
      <source>Taken</source>
      <translation>백업 시각</translation>
    </message>
    <message>
      <source>Age</source>
      <translation>경과</translation>
    </message>
    <message>
      <source>Size</source>
      <translation>크기</translation>
    </message>
    <message>
      <source>Kind</source>
      <translation>종류</translation>
    </message>
    <message>
      <source>Restoring gives up</source>
      <translation>복원 시 잃는 데이터</translation>
    </message>
  </context>
  <context>
    <name>Settings</name>
    <message>
      <source>Start the console when I log in</source>
      <translation>로그인할 때 콘솔 시작</translation>
    </message>
    <message>
      <source>Linux only: use this system's own startup settings</source>
      <translation>Linux 전용입니다: 이 시스템의 시작 프로그램 설정을 사용하세요</translation>
    </message>
    <message>
      <source>The console no longer starts when you log in</source>
      <translation>이제 로그인할 때 콘솔이 시작되지 않습니다</translation>
    </message>
    <message>
      <source>The console starts when you log in ({path})</source>
      <translation>로그인할 때 콘솔이 시작됩니다 ({path})</translation>
    </message>
    <message>
      <source> h</source>
      <translation>시간</translation>
    </message>
    <message>
      <source>only on demand</source>
      <translation>요청할 때만</translation>
    </message>
    <message>
      <source>Back up every</source>
      <translation>백업 주기</translation>
    </message>
    <message>
      <source>Keep the newest of the last hours</source>
      <translation>최근 몇 시간의 최신 백업 보관</translation>
    </message>
    <message>
      <source>… of the last days</source>
      <translation>… 최근 며칠</translation>
    </message>
    <message>
      <source>… of the last weeks</source>
      <translation>… 최근 몇 주</translation>
    </message>
    <message>
      <source>backups/ in the data folder</source>
      <translation>데이터 폴더의 backups/</translation>
    </message>
    <message>
      <source>Backup folder</source>
      <translation>백업 폴더</translation>
    </message>
    <message>
      <source>Encrypt backups (AES-256-GCM)</source>
      <translation>백업 암호화 (AES-256-GCM)</translation>
    </message>
    <message>
      <source>The key is made by the first encrypted backup and kept in this machine's keyring, and it dies with this machine: export it with plugin-monitor backup export-key and keep it somewhere else.</source>
      <translation>키는 첫 암호화 백업 때 만들어져 이 컴퓨터의 키링에 보관되며, 이 컴퓨터와 함께 사라집니다: plugin-monitor backup export-key로 내보내 다른 곳에 보관하세요.</translation>
    </message>
    <message>
      <source>All plugins (global)</source>
      <translation>모든 플러그인 (전역)</translation>
    </message>
    <message>
      <source>Backtest on the last 7 days</source>
      <translation>지난 7일로 백테스트</translation>
    </message>
    <message>
      <source>Replay the stored samples through these thresholds without saving them</source>
      <translation>저장하지 않고 저장된 샘플에 이 임계값을 적용해 봅니다</translation>
    </message>
    <message>
      <source>Apply</source>
      <translation>적용</translation>
    </message>
    <message>
      <source>Collection interval</source>
      <translation>수집 주기</translation>
    </message>
    <message>
      <source>Tray messages from level</source>
      <translation>트레이 메시지 최소 레벨</translation>
    </message>
    <message>
      <source>Recoveries in the tray too</source>
      <translation>복구도 트레이에 표시</translation>
    </message>
    <message>
      <source>Sound for critical alerts</source>
      <translation>심각 알림 소리</translation>
    </message>
    <message>
      <source>Repeat notifications no sooner than</source>
      <translation>같은 알림 반복 최소 간격</translation>
    </message>
    <message>
      <source>API port (from the next start)</source>
      <translation>API 포트 (다음 시작부터)</translation>
    </message>
    <message>
      <source>WebSocket port (from the next start)</source>
      <translation>WebSocket 포트 (다음 시작부터)</translation>
    </message>
    <message>
      <source>Replaying the last 7 days…</source>
      <translation>지난 7일을 재생하는 중…</translation>
    </message>
    <message>
      <source>Thresholds for</source>
      <translation>임계값 대상</translation>
    </message>
    <message>
      <source>{metric}: the critical line must be at or above the warning line (or 0 for off)</source>
      <translation>{metric}: 심각 기준은 경고 기준 이상이어야 합니다 (0은 끔)</translation>
    </message>
    <message>
      <source>Settings applied ({n} changed)</source>
      <translation>설정 적용됨 ({n}개 변경)</translation>
    </message>
    <message>
      <source>Settings</source>
      <translation>설정</translation>
    </message>
    <message>
      <source>Notifications and API</source>
      <translation>알림 및 API</translation>
    </message>
    <message>
      <source>Backups</source>
      <translation>백업</translation>
    </message>
    <message>
      <source>Over the last 7 days ({samples} samples) these values would have raised {proposed} alerts; the saved values raised {current}.</source>
      <translation>지난 7일({samples}개 샘플) 동안 이 값이라면 알림 {proposed}건이 발생했을 것입니다. 저장된 값으로는 {current}건이었습니다.</translation>
    </message>
    <message>
      <source>{keys} apply from the next start</source>
      <translation>{keys}은(는) 다음 시작부터 적용됩니다</translation>
    </message>
    <message>
      <source>Plays the system beep; install the 'sound' extra (pip install 'plugin-monitor[sound]') for a chime.</source>
      <translation>시스템 경고음을 냅니다. 알림음을 쓰려면 'sound' 추가 기능을 설치하세요 (pip install 'plugin-monitor[sound]').</translation>
    </message>
    <message>
      <source>Plays the system beep: this machine's audio output cannot play the chime.</source>
      <translation>시스템 경고음을 냅니다: 이 컴퓨터의 오디오 출력으로는 알림음을 재생할 수 없습니다.</translation>
    </message>
    <message>
      <source>Plays a chime through QtMultimedia.</source>
      <translation>QtMultimedia로 알림음을 냅니다.</translation>
    </message>
    <message>
      <source>Plays the system beep: QtMultimedia cannot load ({reason}).</source>
      <translation>시스템 경고음을 냅니다: QtMultimedia를 불러올 수 없습니다 ({reason}).</translation>
    </message>
    <message>
      <source>info</source>
      <translation>정보</translation>
    </message>
    <message>
      <source>warning</source>
      <translation>경고</translation>
    </message>
    <message>
      <source>error</source>
      <translation>오류</translation>
    </message>
    <message>
      <source>critical</source>
      <translation>심각</translation>
    </message>
    <message>
      <source>CPU % that raises a warning (0: off)</source>
      <translation>경고를 울리는 CPU % (0: 끔)</translation>
    </message>
    <message>
      <source>CPU % that makes it critical (0: off)</source>
      <translation>심각으로 올리는 CPU % (0: 끔)</translation>
    </message>
    <message>
      <source>Memory % that raises a warning (0: off)</source>
      <translation>경고를 울리는 메모리 % (0: 끔)</translation>
    </message>
    <message>
      <source>Memory % that makes it critical (0: off)</source>
      <translation>심각으로 올리는 메모리 % (0: 끔)</translation>
    </message>
    <message>
      <source>Response time (s) that raises a warning (0: off)</source>
      <translation>경고를 울리는 응답 시간(초) (0: 끔)</translation>
    </message>
    <message>
      <source>Response time (s) that makes it critical (0: off)</source>
      <translation>심각으로 올리는 응답 시간(초) (0: 끔)</translation>
    </message>
    <message>
      <source>Errors as % of requests that raise an error alert (0: off)</source>
      <translation>오류 알림을 울리는 요청 대비 에러 % (0: 끔)</translation>
    </message>
    <message>
      <source>Failed samples in a row that raise a critical alert</source>
      <translation>심각 알림을 울리는 연속 실패 샘플 수</translation>
    </message>
    <message>
      <source>Fraction below a line a value must fall before the alert clears</source>
      <translation>알림이 해제되려면 기준보다 낮아져야 하는 비율</translation>
    </message>
    <message>
      <source>Samples in a row a new level must hold before it applies</source>
      <translation>새 레벨이 적용되기 전 유지되어야 하는 연속 샘플 수</translation>
    </message>
    <message>
      <source>Standard deviations from this hour's usual usage that raise a warning (0: off)</source>
      <translation>이 시간대의 평소 사용량에서 경고를 발생시키는 표준편차 배수 (0: 끔)</translation>
    </message>
    <message>
      <source>Seconds of silence that raise a no-data warning (0: automatic)</source>
      <translation>데이터 없음 경고를 내기까지의 무응답 시간(초, 0: 자동)</translation>
    </message>
  </context>
  <context>
    <name>Silence</name>
    <message>
      <source>Silence alerts</source>
      <translation>알림 무음</translation>
    </message>
    <message>
      <source> h</source>
      <translation> 시간</translation>
    </message>
    <message>
      <source>Why (required), e.g. deploying v2.3</source>
      <translation>이유 (필수), 예: v2.3 배포 중</translation>
    </message>
    <message>
      <source>For</source>
      <translation>기간</translation>
    </message>
    <message>
      <source>Hours</source>
      <translation>시간</translation>
    </message>
    <message>
      <source>Alerts</source>
      <translation>알림</translation>
    </message>
    <message>
      <source>Comment</source>
      <translation>설명</translation>
    </message>
    <message>
      <source>1 hour</source>
      <translation>1시간</translation>
    </message>
    <message>
      <source>4 hours</source>
      <translation>4시간</translation>
    </message>
    <message>
      <source>Until tomorrow 09:00</source>
      <translation>내일 09:00까지</translation>
    </message>
    <message>
      <source>Custom…</source>
      <translation>직접 입력…</translation>
    </message>
    <message>
      <source>Every rule of {plugin}</source>
      <translation>{plugin}의 모든 규칙</translation>
    </message>
  </context>
  <context>
    <name>Silences</name>
    <message>
      <source>every plugin</source>
      <translation>모든 플러그인</translation>
    </message>
    <message>
      <source>every rule</source>
      <translation>모든 규칙</translation>
    </message>
    <message>
      <source>Silences</source>
      <translation>무음 설정</translation>
    </message>
    <message>
      <source>No silences: every alert is notified.</source>
      <translation>무음 설정 없음: 모든 알림이 전달됩니다.</translation>
    </message>
    <message>
      <source>End now</source>
      <translation>지금 종료</translation>
    </message>
    <message>
      <source>starts in {span}</source>
      <translation>{span} 후 시작</translation>
    </message>
    <message>
      <source>{level} and below</source>
      <translation>{level} 이하</translation>
    </message>
    <message>
      <source>Silence of {what} ended</source>
      <translation>{what} 무음 설정이 종료되었습니다</translation>
    </message>
    <message>
      <source>Matches</source>
      <translation>대상</translation>
    </message>
    <message>
      <source>Ends in</source>
      <translation>남은 시간</translation>
    </message>
    <message>
      <source>Until</source>
      <translation>종료 시각</translation>
    </message>
    <message>
      <source>Why</source>
      <translation>사유</translation>
    </message>
    <message>
      <source>By</source>
      <translation>설정자</translation>
    </message>
  </context>
  <context>
    <name>StartRecovery</name>
    <message>
      <source>{problem}

Restore the newest backup, taken {taken}, and start? The data stored in the {hours:.1f} hours since then is lost; the damaged database is kept aside.</source>
      <translation>{problem}

{taken}에 만든 최신 백업을 복원하고 시작할까요? 그 뒤 {hours:.1f}시간 동안 저장된 데이터는 잃게 되며, 손상된 데이터베이스는 따로 보관됩니다.</translation>
    </message>
  </context>
  <context>
    <name>Startup</name>
    <message>
      <source>Another Plugin Monitor (pid {pid}) is already running on the data folder {folder}. Stop it first, or start this one with another --data-dir.</source>
      <translation>다른 Plugin Monitor(pid {pid})가 이미 데이터 폴더 {folder}에서 실행 중입니다. 먼저 그것을 종료하거나, 다른 --data-dir로 이 콘솔을 시작하십시오.</translation>
    </message>
  </context>
  <context>
    <name>TimeRange</name>
    <message>
      <source>15 min</source>
      <translation>15분</translation>
    </message>
    <message>
      <source>1 h</source>
      <translation>1시간</translation>
    </message>
    <message>
      <source>6 h</source>
      <translation>6시간</translation>
    </message>
    <message>
      <source>24 h</source>
      <translation>24시간</translation>
    </message>
    <message>
      <source>7 days</source>
      <translation>7일</translation>
    </message>
    <message>
      <source>30 days</source>
      <translation>30일</translation>
    </message>
    <message>
      <source>Custom time range</source>
      <translation>사용자 지정 기간</translation>
    </message>
    <message>
      <source>From</source>
      <translation>시작</translation>
    </message>
    <message>
      <source>To</source>
      <translation>끝</translation>
    </message>
    <message>
      <source>Custom…</source>
      <translation>사용자 지정…</translation>
    </message>
    <message>
      <source>The range must end at least a minute after it starts.</source>
      <translation>기간은 시작보다 최소 1분 뒤에 끝나야 합니다.</translation>
    </message>
  </context>
  <context>
    <name>Toasts</name>
    <message>
      <source>Open</source>
      <translation>열기</translation>
    </message>
    <message>
      <source>Dismiss</source>
      <translation>닫기</translation>
    </message>
    <message>
      <source>Acknowledge</source>
      <translation>확인</translation>
    </message>
    <message>
      <source>+{count} more</source>
      <translation>+{count}건 더</translation>
    </message>
    <message>
      <source>Resolved</source>
      <translation>해결됨</translation>
    </message>
    <message>
      <source>info</source>
      <translation>정보</translation>
    </message>
    <message>
      <source>warning</source>
      <translation>경고</translation>
    </message>
    <message>
      <source>error</source>
      <translation>오류</translation>
    </message>
    <message>
      <source>critical</source>
      <translation>심각</translation>
    </message>
    <message>
      <source>raised</source>
      <translation>발생</translation>
    </message>
    <message>
      <source>reopened</source>
      <translation>재발생</translation>
    </message>
    <message>
      <source>escalated</source>
      <translation>상향</translation>
    </message>
    <message>
      <source>de-escalated</source>
      <translation>하향</translation>
    </message>
    <message>
      <source>resolved</source>
      <translation>해결됨</translation>
    </message>
    <message>
      <source>acknowledged</source>
      <translation>확인됨</translation>
    </message>
    <message>
      <source>unsilenced</source>
      <translation>무음 해제</translation>
    </message>
    <message>
      <source>flapping</source>
      <translation>반복 변동</translation>
    </message>
    <message>
      <source>settled</source>
      <translation>안정됨</translation>
    </message>
  </context>
  <context>
    <name>Tray</name>
    <message>
      <source>Show or hide the window</source>
      <translation>창 보이기/숨기기</translation>
    </message>
    <message>
      <source>Start or stop monitoring</source>
      <translation>모니터링 시작/중지</translation>
    </message>
    <message>
      <source>Quit</source>
      <translation>종료</translation>
    </message>
    <message>
      <source>Resolved: {plugin}</source>
      <translation>해결됨: {plugin}</translation>
    </message>
    <message>
      <source>all plugins ok</source>
      <translation>모든 플러그인 정상</translation>
    </message>
    <message>
      <source>info</source>
      <translation>정보</translation>
    </message>
    <message>
      <source>warning</source>
      <translation>경고</translation>
    </message>
    <message>
      <source>error</source>
      <translation>오류</translation>
    </message>
    <message>
      <source>critical</source>
      <translation>심각</translation>
    </message>
  </context>
  <context>
    <name>Webhooks</name>
    <message>
      <source>starting…</source>
      <translation>시작 중…</translation>
    </message>
    <message>
      <source>Add a webhook</source>
      <translation>웹훅 추가</translation>
    </message>
    <message>
      <source>One per line, e.g. Authorization: Bearer abc</source>
      <translation>한 줄에 하나씩, 예: Authorization: Bearer abc</translation>
    </message>
    <message>
      <source>Sign each body (HMAC-SHA256)</source>
      <translation>본문마다 서명 (HMAC-SHA256)</translation>
    </message>
    <message>
      <source>URL</source>
      <translation>URL</translation>
    </message>
    <message>
      <source>From level</source>
      <translation>최소 수준</translation>
    </message>
    <message>
      <source>Headers</source>
      <translation>헤더</translation>
    </message>
    <message>
      <source>Alerts are sent in Alertmanager's webhook format; the URL and header values are kept in the secret store.</source>
      <translation>알림은 Alertmanager 웹훅 형식으로 전송됩니다. URL과 헤더 값은 비밀 저장소에 보관됩니다.</translation>
    </message>
    <message>
      <source>{count} delivered</source>
      <translation>{count}건 전달됨</translation>
    </message>
    <message>
      <source>Webhooks</source>
      <translation>웹훅</translation>
    </message>
    <message>
      <source>Add…</source>
      <translation>추가…</translation>
    </message>
    <message>
      <source>Remove</source>
      <translation>삭제</translation>
    </message>
    <message>
      <source>Send a test</source>
      <translation>테스트 전송</translation>
    </message>
    <message>
      <source>Webhook not added</source>
      <translation>웹훅을 추가하지 못했습니다</translation>
    </message>
    <message>
      <source>failing: {reason}</source>
      <translation>실패 중: {reason}</translation>
    </message>
    <message>
      <source>, signed</source>
      <translation>, 서명됨</translation>
    </message>
    <message>
      <source>Signing secret</source>
      <translation>서명 비밀값</translation>
    </message>
    <message>
      <source>Webhook {url} added</source>
      <translation>웹훅 {url} 추가됨</translation>
    </message>
    <message>
      <source>Give this secret to the receiver; it is shown only now:</source>
      <translation>이 비밀값을 수신 측에 전달하십시오. 지금 한 번만 표시됩니다:</translation>
    </message>
    <message>
      <source>Webhook {url} removed</source>
      <translation>웹훅 {url} 삭제됨</translation>
    </message>
    <message>
      <source>Test alert delivered to {url}</source>
      <translation>{url}(으)로 테스트 알림 전달됨</translation>
    </message>
    <message>
      <source>Test alert not delivered: {reason}</source>
      <translation>테스트 알림 전달 실패: {reason}</translation>
    </message>
    <message>
      <source>Sends to</source>
      <translation>전송 대상</translation>
    </message>
    <message>
      <source>Deliveries</source>
      <translation>전달 상태</translation>
    </message>
  </context>
</TS>
